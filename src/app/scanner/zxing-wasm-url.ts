/*
 * Where zxing-cpp's .wasm file is served: from our own origin, as a file of the build (Vite's
 * `?url` import), never from the jsDelivr address that zxing-wasm fetches by default. So it is
 * precached by the service worker with the rest of the app (offline, the scanner still has it),
 * and no third party learns who scans, or serves code to the scanner.
 */
import wasmPath from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** The absolute URL of zxing-cpp's reader .wasm, resolved against this script's location. */
export function zxingWasmUrl(): string {
  return new URL(wasmPath, globalThis.location.href).href;
}
