export * from './locale.js';
export * from './messages-en.js';
export * from './messages-nl.js';
