/*
 * A paste of text, as the page sees it: a `paste` ClipboardEvent whose clipboard holds the
 * text. A page cannot make a trusted one; Firefox's constructor leaves out the clipboardData it
 * is given, so the event then gets it as its own property. (The end-to-end test pastes for real,
 * with the keyboard, in Chromium.)
 */
export function pasteText(target: EventTarget, text: string): ClipboardEvent {
  const clipboard = new DataTransfer();
  clipboard.setData('text/plain', text);
  const event = new ClipboardEvent('paste', {
    clipboardData: clipboard,
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  if (event.clipboardData?.getData('text/plain') !== text) {
    Object.defineProperty(event, 'clipboardData', { value: clipboard });
  }
  target.dispatchEvent(event);
  return event;
}
