export { importTestsslCsv, importTestsslJson } from './import-testssl.js';
export { normaliseTestsslScan } from './normalise-testssl.js';
export { readTestsslCsv, readTestsslJson, type TestsslRecord, type TestsslScan } from './testssl-records.js';
