// The SSL Labs adapter's public surface; helpers stay internal so that the library's flat exports
// cannot clash with other adapters'.
export type {
  AssessmentStatus as SslLabsAssessmentStatus,
  SslLabsCert,
  SslLabsEndpoint,
  SslLabsEndpointDetails,
  SslLabsErrorBody,
  SslLabsHost,
  SslLabsInfo,
  SslLabsProtocol,
  SslLabsProtocolSuites,
  SslLabsRegisterResponse,
  SslLabsRegistration,
  SslLabsSuite,
} from './api-types.js';
export {
  assessWithSslLabs,
  type SslLabsAssessOptions,
  type SslLabsProgress,
  type SslLabsProgressState,
  type SslLabsRunSummary,
} from './assess-with-ssllabs.js';
export { importSslLabsJson } from './import-ssllabs-json.js';
export { normaliseSslLabsHost, type SslLabsNormaliseOptions } from './normalise-host.js';
export { registerSslLabsEmail, type SslLabsRegisterResult } from './register-email.js';
export { DEFAULT_SSLLABS_API_URL, SslLabsApi, type SslLabsApiOptions, type SslLabsApiVersion } from './ssllabs-api.js';
export { SslLabsRegistrationError } from './ssllabs-errors.js';
