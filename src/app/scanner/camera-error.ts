/** Why the camera did not start, in the terms the user is told. */
export type CameraProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'failed';

/** The camera could not be opened. */
export class CameraError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly code: CameraProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Sorts getUserMedia's DOMExceptions into the problems the scanner explains. */
export function toCameraError(error: unknown): CameraError {
  if (error instanceof CameraError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new CameraError('denied', 'Camera access was refused.', { cause: error });
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new CameraError('missing', 'No camera was found.', { cause: error });
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new CameraError('busy', 'The camera is in use or could not be read.', {
        cause: error,
      });
    case 'TypeError':
      return new CameraError('unsupported', 'This page cannot ask for the camera.', {
        cause: error,
      });
    default:
      return new CameraError('failed', 'The camera could not start.', { cause: error });
  }
}
