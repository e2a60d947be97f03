export * from './build-report.js';
export * from './target-identity.js';
export * from './merge-reports.js';
export * from './diff-reports.js';
export * from './read-report.js';
export * from './read-report-stream.js';
