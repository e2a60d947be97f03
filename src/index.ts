export * from './model/index.js';
export * from './errors.js';
export * from './registry/index.js';
export * from './policy/index.js';
export * from './report/index.js';
export * from './render/index.js';
export { VERSION } from './version.js';
