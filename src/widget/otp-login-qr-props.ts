import type { OtpLoginQrEventMap } from './events.js';
import type { OtpLoginQr } from './otp-login-qr.js';

/**
 * The attribute of each of the element's settable properties: every reactive property but the
 * read-only `status`. A test holds this to custom-elements.json.
 */
export interface OtpLoginQrAttributeNames {
  endpoint: 'endpoint';
  pollWait: 'poll-wait';
  maxRotations: 'max-rotations';
  size: 'size';
  errorCorrection: 'error-correction';
  sameDevice: 'same-device';
  purpose: 'purpose';
}

/** The element's settable properties, all optional: the props a framework may pass it. */
export type OtpLoginQrProperties = Partial<Pick<OtpLoginQr, keyof OtpLoginQrAttributeNames>>;

/**
 * The same settings by attribute name (`max-rotations`), which also work where no property can
 * be set: in server-rendered HTML, or before the tag is defined.
 */
export type OtpLoginQrAttributes = {
  [Name in keyof OtpLoginQrAttributeNames as OtpLoginQrAttributeNames[Name]]?: OtpLoginQr[Name];
};

/** A listener for each of the element's events, by the event's name. */
export type OtpLoginQrListeners = {
  [Type in keyof OtpLoginQrEventMap]: (event: OtpLoginQrEventMap[Type]) => void;
};
