// What every Token Server store shares: 'otp-login-qr/store'. The adapters with a dependency
// of their own are on their own subpaths: 'otp-login-qr/store/sqlite' (better-sqlite3),
// 'otp-login-qr/store/postgres' (pg) and 'otp-login-qr/store/redis' (ioredis).
export * from './memory-store.js';
export * from './records.js';
export * from './redis-durability.js';
export * from './split-store.js';
export * from './store.js';
export * from './store-error.js';
