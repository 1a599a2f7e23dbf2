/** Base64 of any text as UTF-8, the way a Token Server would encode its OTP JSON. */
export function base64Json(json: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(json)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
