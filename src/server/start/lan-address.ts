import { networkInterfaces } from 'node:os';

/** This machine's first non-internal IPv4 address (the one a phone on the same Wi-Fi reaches). */
export function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}
