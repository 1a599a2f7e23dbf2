import { CameraError, toCameraError } from './camera-error.js';

/*
 * @zxing/browser brings all of @zxing/library with it, so it is fetched only when the scanner
 * needs it (the first screen stays small).
 */
async function codeReader() {
  const { BrowserCodeReader } = await import('@zxing/browser');
  return BrowserCodeReader;
}

/** A camera the user can pick. */
export interface CameraChoice {
  readonly deviceId: string;
  readonly label: string;
}

/**
 * Where camera streams come from. The app uses the phone's cameras; tests hand the scanner a
 * source of their own (a canvas stream), so the view's handling of tracks is tested on real ones.
 */
export interface CameraSource {
  /** Opens a camera: the one named, or the back camera. Throws {@link CameraError}. */
  open(deviceId?: string): Promise<MediaStream>;
  /** The cameras there are (their names show only after the user allowed the camera once). */
  list(): Promise<CameraChoice[]>;
}

/** The phone's cameras, through getUserMedia and @zxing/browser's device list. */
export class MediaDevicesCamera implements CameraSource {
  async open(deviceId?: string): Promise<MediaStream> {
    if ((navigator as Partial<Navigator>).mediaDevices === undefined) {
      // Browsers leave mediaDevices out on insecure pages (http other than localhost).
      throw new CameraError('unsupported', 'This page has no access to cameras.');
    }
    const video: MediaTrackConstraints = {
      // 640×480 is plenty for a QR code held in the frame and keeps each frame cheap to read.
      width: { ideal: 640 },
      height: { ideal: 480 },
      ...(deviceId === undefined || deviceId === ''
        ? { facingMode: { ideal: 'environment' } }
        : { deviceId: { exact: deviceId } }),
    };
    try {
      return await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      throw toCameraError(error);
    }
  }

  async list(): Promise<CameraChoice[]> {
    try {
      const devices = await (await codeReader()).listVideoInputDevices();
      return devices.map((device) => ({ deviceId: device.deviceId, label: device.label }));
    } catch {
      return [];
    }
  }
}

/** Whether the track can switch a torch on (from its capabilities, as @zxing/browser reads them). */
export function trackHasTorch(track: MediaStreamTrack): boolean {
  if (typeof track.getCapabilities !== 'function') return false;
  const capabilities = track.getCapabilities() as MediaTrackCapabilities & { torch?: boolean };
  return capabilities.torch === true;
}

export async function setTorch(track: MediaStreamTrack, on: boolean): Promise<void> {
  await (await codeReader()).mediaStreamSetTorch(track, on);
}

/** Ends every track of the stream, so the camera light goes off. */
export function stopStream(stream: MediaStream | undefined): void {
  if (stream === undefined) return;
  for (const track of stream.getTracks()) track.stop();
}
