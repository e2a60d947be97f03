export * from './policy.js';
export * from './suite-selector.js';
export * from './compile-policy.js';
export * from './evaluate.js';
export * from './load-policy.js';
export * from './describe-policy.js';
export * from './certificate-key.js';
export * from './key-exchange-evidence.js';
