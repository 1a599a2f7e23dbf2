export * from './demo-database.js';
export * from './demo-website.js';
export * from './pages.js';
export * from './passwords.js';
