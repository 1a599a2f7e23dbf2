import { Workbox } from 'workbox-window';

/** What the app does when a new version is waiting. */
export interface UpdateHandlers {
  /** A new version is installed and waiting; `activate()` switches to it and reloads. */
  onUpdateReady(activate: () => void): void;
}

/**
 * Registers the service worker that vite-plugin-pwa generates (prompt strategy: a new version
 * waits until the user says reload). Registered from this file, not from an inline script, so the
 * page keeps its strict CSP. Does nothing where service workers are unavailable (insecure origins).
 */
export async function registerServiceWorker(
  url: string,
  handlers: UpdateHandlers,
): Promise<Workbox | undefined> {
  if (!('serviceWorker' in navigator)) return undefined;
  const workbox = new Workbox(url, { scope: './' });
  workbox.addEventListener('waiting', () => {
    handlers.onUpdateReady(() => {
      workbox.addEventListener('controlling', () => {
        location.reload();
      });
      workbox.messageSkipWaiting();
    });
  });
  try {
    await workbox.register();
  } catch (error) {
    // The app works without it, only not offline.
    console.warn('The service worker could not be registered.', error);
  }
  return workbox;
}
