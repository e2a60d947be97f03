export * from './model/index.js';
export * from './errors.js';
export * from './registry/index.js';
export * from './policy/index.js';
export * from './report/index.js';
export * from './render/index.js';
export * from './remediation/index.js';
export { VERSION } from './version.js';
export {
  parseNmapXml,
  readNmapXml,
  readNmapXmlFile,
  parseNmapHost,
  type NmapParseResult,
  type NmapReadSummary,
  type NmapXmlInput,
} from './adapters/nmap/index.js';
export {
  probe,
  probeMany,
  probeWithStats,
  parseTarget as parseProbeTarget,
  STARTTLS_PROTOCOLS,
  type ProbeOptions,
  type ProbeResult,
  type ProbeStats,
  type ProbeTarget,
  type StartTlsProtocol,
  bundledTrustStore,
  loadTrustStore,
  validateChain,
  type TrustStore,
} from './adapters/probe/index.js';
export { scan, routeTarget, type ScanOptions, type Route as ScanRoute } from './scan/index.js';
export {
  assessWithSslLabs,
  importSslLabsJson,
  normaliseSslLabsHost,
  registerSslLabsEmail,
  SslLabsApi,
  SslLabsRegistrationError,
  DEFAULT_SSLLABS_API_URL,
  type SslLabsAssessOptions,
  type SslLabsHost,
  type SslLabsProgress,
  type SslLabsRunSummary,
} from './adapters/ssllabs/index.js';
export { importTestsslCsv, importTestsslJson } from './adapters/testssl/index.js';
export { importSslyzeJson } from './adapters/sslyze/index.js';
export { importSslscanXml } from './adapters/sslscan/index.js';
export type { ImportResult } from './adapters/observation-builder.js';
export {
  FROM_KINDS as IMPORT_FROM_KINDS,
  IMPORT_KINDS,
  detectKind,
  importOne,
  type FromKind as ImportFromKind,
  type ImportKind,
  type ImportInput,
  type ImportedFile,
} from './import/index.js';
export * from './targets/index.js';
export { sweep, type SweepOptions } from './sweep/sweep.js';
export { ResumeLog } from './sweep/resume-log.js';
export { orderedPool } from './sweep/ordered-pool.js';
export { readNmapTlsPorts, readNmapTlsPortsFile, tlsPortsOfHost, type NmapTlsPort, type NmapSkippedPort } from './adapters/nmap/read-nmap-tls-ports.js';
