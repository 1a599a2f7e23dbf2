export * from './lan-address.js';
export * from './launch-options.js';
export * from './launcher.js';
export * from './self-signed-certificate.js';
export * from './terminal-qr.js';
