/*
 * The phone's cameras through the browser's own API (what @zxing/browser's BrowserCodeReader
 * wrapped): the list of video inputs, and the torch only where the track says it has one.
 */
import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import {
  MediaDevicesCamera,
  setTorch,
  trackHasTorch,
} from '../../src/app/scanner/camera-source.js';

function device(kind: MediaDeviceKind, deviceId: string, label: string): MediaDeviceInfo {
  return { kind, deviceId, label, groupId: 'g', toJSON: () => ({}) };
}

/** A track stand-in with the parts the torch code reads. */
function trackWith(capabilities: (() => MediaTrackCapabilities) | undefined) {
  const applied: MediaTrackConstraints[] = [];
  const track = {
    getCapabilities: capabilities,
    applyConstraints: (constraints: MediaTrackConstraints) => {
      applied.push(constraints);
      return Promise.resolve();
    },
  } as unknown as MediaStreamTrack;
  return { track, applied };
}

describe('MediaDevicesCamera and the torch', () => {
  const original = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');

  function devicesAre(enumerate: () => Promise<MediaDeviceInfo[]>): void {
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { enumerateDevices: enumerate },
    });
  }

  afterEach(() => {
    if (original === undefined) {
      delete (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
    } else {
      Object.defineProperty(navigator, 'mediaDevices', original);
    }
  });

  it('lists the cameras only, with their names once the camera was allowed', async () => {
    devicesAre(() =>
      Promise.resolve([
        device('audioinput', 'mic', 'Microphone'),
        device('videoinput', 'back', 'Back camera'),
        device('videoinput', 'front', 'Front camera'),
        device('audiooutput', 'speaker', 'Speaker'),
      ]),
    );
    expect(await new MediaDevicesCamera().list()).to.deep.equal([
      { deviceId: 'back', label: 'Back camera' },
      { deviceId: 'front', label: 'Front camera' },
    ]);
  });

  it('gives cameras without names before the camera was allowed (the screens number them)', async () => {
    devicesAre(() => Promise.resolve([device('videoinput', '', '')]));
    expect(await new MediaDevicesCamera().list()).to.deep.equal([{ deviceId: '', label: '' }]);
  });

  it('lists no camera where the page cannot list them', async () => {
    devicesAre(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    expect(await new MediaDevicesCamera().list()).to.deep.equal([]);
  });

  it('offers the torch only when the track’s capabilities say so', () => {
    const torch = () => ({ torch: true }) as MediaTrackCapabilities;
    expect(trackHasTorch(trackWith(torch).track)).to.equal(true);
    expect(trackHasTorch(trackWith(() => ({})).track)).to.equal(false);
    expect(trackHasTorch(trackWith(undefined).track), 'no getCapabilities').to.equal(false);
  });

  it('switches the torch with an advanced constraint', async () => {
    const { track, applied } = trackWith(() => ({ torch: true }) as MediaTrackCapabilities);
    await setTorch(track, true);
    await setTorch(track, false);
    expect(applied).to.deep.equal([
      { advanced: [{ torch: true }] },
      { advanced: [{ torch: false }] },
    ]);
  });
});
