/*
 * Builds the scanner PWA (src/app) into dist/app: `npm run build:app`, `npm run dev:app`.
 * The service worker precaches the app shell and waits for the user's "reload" (prompt strategy);
 * it is registered by src/app/service-worker-registration.ts through workbox-window, never by an
 * injected inline script, so index.html keeps a strict CSP.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const THEME_COLOUR = '#1f4e8c';

export const appConfig = defineConfig({
  root: here('./src/app'),
  base: './',
  publicDir: here('./public'),
  build: {
    outDir: here('./dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline <script>: keep the module preload helper in a file as well.
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
  server: { port: 7003, strictPort: false },
  preview: { port: 7003, strictPort: false },
  plugins: [
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      strategies: 'generateSW',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['favicon.ico', 'icon.svg', 'apple-touch-icon-180x180.png'],
      manifest: {
        id: './',
        name: 'QR Login',
        short_name: 'QR Login',
        description:
          'Log in to websites by scanning their QR code: no password, and you see what you confirm.',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        categories: ['security', 'utilities'],
        icons: [
          { src: 'pwa-64x64.png', sizes: '64x64', type: 'image/png' },
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'maskable-icon-512x512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
        screenshots: [
          {
            src: 'screenshots/app-home-narrow.png',
            sizes: '390x844',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'Your linked accounts and “Scan to log in”',
          },
          {
            src: 'screenshots/app-confirm-narrow.png',
            sizes: '390x844',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'Confirm a login: site, browser, network and time',
          },
          {
            src: 'screenshots/app-home-wide.png',
            sizes: '1280x800',
            type: 'image/png',
            form_factor: 'wide',
            label: 'The app on a large screen',
          },
        ],
      },
      workbox: {
        // wasm: zxing-cpp's decoder (950 KB), fetched by the decoding worker only when the fast
        // decoders keep missing or a picture is read; precached so that it works offline too.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm}'],
        // Screenshots are for the install dialog, not the offline shell.
        globIgnores: ['screenshots/**'],
        navigateFallback: 'index.html',
        // The first version takes control at once, so the first visit is already offline-ready;
        // later versions wait for the user's "reload" (skipWaiting only on request).
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // config.json is not cached here: the app keeps its last copy itself, and a failed
        // fetch of it is how the app learns that it is offline (navigator.onLine often says true).
      },
      devOptions: { enabled: false },
    }),
  ],
});

// Vite reads the default export; this is the one place the project needs one.
// eslint-disable-next-line no-restricted-syntax
export default appConfig;
