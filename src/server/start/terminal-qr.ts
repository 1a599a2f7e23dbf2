import { generate } from 'lean-qr';

/**
 * A QR code for a terminal: two spaces per module, dark on a light background set with ANSI
 * colours, so that it scans on dark and light terminal themes alike.
 */
export function terminalQr(text: string): string {
  const dark = '\u001b[40m  \u001b[0m';
  const light = '\u001b[47m  \u001b[0m';
  return generate(text).toString({ on: dark, off: light, pad: 2, lf: '\n' });
}
