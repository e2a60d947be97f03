export * from './policy.js';
export * from './suite-selector.js';
export * from './compile-policy.js';
export * from './evaluate.js';
export * from './load-policy.js';
