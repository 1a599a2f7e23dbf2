/*
 * The scanner app's entry point: registers the screens, puts the app on the page and registers
 * the service worker.
 */
import './views/define.js';
import { currentLanguageTag, setLocale } from './i18n/locale.js';
import { registerServiceWorker } from './service-worker-registration.js';

// The page's lang says the phone's language, region and all (en-GB), for screen readers too.
setLocale(currentLanguageTag());
const app = document.createElement('scanner-app');
document.body.append(app);

if (import.meta.env.PROD) {
  void registerServiceWorker('./sw.js', {
    onUpdateReady(activate) {
      app.reload = activate;
      app.updateReady = true;
    },
  });
}
