/** Which of the encodings a payload arrived in. */
export type PayloadFormat = 'compact' | 'onegini';

/**
 * A login request for the phone: the transaction to answer and the one-time password that proves
 * the phone saw the QR. This is all the QR carries; everything shown to the user comes from the
 * Token Server.
 */
export interface AuthenticationPayload {
  readonly kind: 'authentication';
  readonly format: PayloadFormat;
  readonly transactionId: string;
  readonly otp: string;
  /** The app URL the QR pointed at, when the payload came as a URL. */
  readonly appUrl?: string;
}

/** A one-time enrollment code that links a phone to the user who is logged in on the website. */
export interface EnrollmentPayload {
  readonly kind: 'enrollment';
  readonly format: 'compact';
  readonly enrollmentId: string;
  readonly secret: string;
  readonly appUrl?: string;
}

export type QrPayload = AuthenticationPayload | EnrollmentPayload;

export type QrPayloadKind = QrPayload['kind'];
