export * from './protocol-version.js';
export * from './source.js';
export * from './certificate.js';
export * from './target.js';
export * from './verdict.js';
export * from './report.js';
