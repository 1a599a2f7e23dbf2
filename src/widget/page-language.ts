import type { ReactiveControllerHost } from 'lit';

// The elements that speak follow the closest `lang`, which may change on any ancestor. One
// MutationObserver over the whole page serves them all (twenty elements need not be twenty
// observers of every `lang` in the document); it exists only while an element is connected.

const speakers = new Set<ReactiveControllerHost>();
let observer: MutationObserver | undefined;

/**
 * Renders `host` again whenever a `lang` in the page changes, until {@link unfollowPageLanguage}.
 * @internal
 */
export function followPageLanguage(host: ReactiveControllerHost): void {
  speakers.add(host);
  if (observer) return;
  observer = new MutationObserver(renderSpeakersAgain);
  observer.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true });
}

/**
 * Stops following for `host`; the last one to leave takes the observer with it.
 * @internal
 */
export function unfollowPageLanguage(host: ReactiveControllerHost): void {
  speakers.delete(host);
  if (speakers.size > 0) return;
  observer?.disconnect();
  observer = undefined;
}

/**
 * Renders every following element again: a `lang` changed, or the words of a language did.
 * @internal
 */
export function renderSpeakersAgain(): void {
  for (const host of speakers) host.requestUpdate();
}
