// Serving the prebuilt scanner app: from the Token Server under a path, or on its own origin.
export * from './mounted-at.js';
export * from './prebuilt-app.js';
export * from './pwa-static-server.js';
