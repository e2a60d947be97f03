export * from './api-types.js';
export * from './assess-with-ssllabs.js';
export * from './classify-response.js';
export * from './import-ssllabs-json.js';
export * from './normalise-host.js';
export * from './register-email.js';
export * from './ssllabs-api.js';
export * from './ssllabs-errors.js';
