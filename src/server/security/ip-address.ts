/**
 * An address in the form the kit counts it by: `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack
 * socket, or a proxy that writes it so) is `192.0.2.1`. Anything else is returned as it is.
 */
export function normalizeIp(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}
