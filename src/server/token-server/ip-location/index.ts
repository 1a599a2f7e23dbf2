export * from './ip-database-error.js';
export * from './ip-locator.js';
export * from './open-ip-locator.js';
export * from './requester-place.js';
