/*
 * The camera the user chose in the settings, kept in localStorage: a device id is not a secret,
 * and it is meaningless on another phone.
 */
const KEY = 'otp-login-qr.camera';

/** The chosen camera's device id, or '' for the default (the back camera). */
export function readCameraPreference(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveCameraPreference(deviceId: string): void {
  try {
    if (deviceId === '') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, deviceId);
  } catch {
    // Storage may be off (private mode); the choice then lasts until the app closes.
  }
}
