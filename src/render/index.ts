export * from './renderer.js';
export * from './json.js';
export * from './table.js';
export * from './renderers.js';
