/*
 * Deep links: a phone's own camera app opens our QR's URL (`HTTPS://HOST/#code`), so the app
 * starts with the code in its fragment. It takes the code and removes it from the address bar and
 * the history at once, so that going back or sharing the page does not replay it.
 */

/** The app URL with its fragment when the page was opened with a code, else undefined. */
export function takeDeepLink(): string | undefined {
  if (location.hash.length <= 1) return undefined;
  const text = location.href;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return text;
}
