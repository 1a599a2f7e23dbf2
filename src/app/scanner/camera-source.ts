/*
 * The cameras through the browser's own API. (@zxing/browser's BrowserCodeReader did the listing
 * and the torch before, at the price of all of zxing, 120 KB gzip, on the scanner screen: what it
 * does is the few calls below.)
 */
import { CameraError, toCameraError } from './camera-error.js';

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

/** The phone's cameras, through getUserMedia and enumerateDevices. */
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

  /**
   * The video inputs, in the browser's order. Before the camera was allowed once, browsers give
   * no names (and Chromium no ids either): the label is then '', and the screens say "Camera 1".
   */
  async list(): Promise<CameraChoice[]> {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      return devices
        .filter((device) => device.kind === 'videoinput')
        .map((device) => ({ deviceId: device.deviceId, label: device.label }));
    } catch {
      // No mediaDevices (an insecure page) or no enumerateDevices: no list to pick from.
      return [];
    }
  }
}

/** The torch constraint, which TypeScript's DOM library does not describe yet (Image Capture). */
interface TorchConstraints extends MediaTrackConstraintSet {
  torch?: boolean;
}

/** Whether the track can switch a torch on: only a camera whose capabilities say so. */
export function trackHasTorch(track: MediaStreamTrack): boolean {
  if (typeof track.getCapabilities !== 'function') return false;
  const capabilities = track.getCapabilities() as MediaTrackCapabilities & { torch?: boolean };
  return capabilities.torch === true;
}

/**
 * Switches the torch. An advanced constraint, so that a camera or browser that cannot leaves the
 * track as it is instead of failing it. (zxing's mediaStreamSetTorch also sent `fillLightMode`,
 * which is a photo setting of Image Capture, not a track constraint.)
 */
export async function setTorch(track: MediaStreamTrack, on: boolean): Promise<void> {
  const torch: TorchConstraints = { torch: on };
  await track.applyConstraints({ advanced: [torch] });
}

/** Ends every track of the stream, so the camera light goes off. */
export function stopStream(stream: MediaStream | undefined): void {
  if (stream === undefined) return;
  for (const track of stream.getTracks()) track.stop();
}
