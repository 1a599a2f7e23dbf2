// The reference Token Server, for embedding: 'otp-login-qr/token-server'. The stores are on
// their own subpaths ('otp-login-qr/store/sqlite', '…/store/redis'), so that this one loads no
// native or Redis package.
export * from './app.js';
export * from './client-ip.js';
export * from './config.js';
export * from './errors.js';
// The IP databases, for code that embeds the server: createTokenServer({ ipLocator }).
export * from './ip-location/index.js';
export * from './load-config.js';
export * from '../packaging/optional-peer.js';
