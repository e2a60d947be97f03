// The library's public API: every name here is documented in docs/library.md, and
// test/library/public-api.test.ts holds the list, so that the surface grows only on purpose. Everything
// else is internal; the CLI imports what it needs from the modules themselves.

// Errors: one base class with a stable `code` (ERROR_CODES) and the exit status the CLI would use.
export { TlsAuditError, UsageError, InputError, PolicyError, ERROR_CODES, type ErrorCode } from './errors.js';
export { PdfBrowserError } from './render/pdf.js';
export { SslLabsRegistrationError } from './adapters/ssllabs/ssllabs-errors.js';
export { VERSION } from './version.js';

// The model: what every source is normalised into, and what a report holds.
export { PROTOCOL_VERSIONS, type ProtocolVersion } from './model/protocol-version.js';
export { SOURCE_KINDS, type SourceKind, type Provenance } from './model/source.js';
export type { CertificateDetails, CertificateKeyFamily, CertificateObservation, CertificateValidation } from './model/certificate.js';
export type {
  CertificateSummary,
  CipherObservation,
  CipherPreference,
  Disagreement,
  EvidenceGap,
  PolicyVerdict,
  ProtocolObservation,
  SourceRun,
  SuiteEvidence,
  Target,
  TargetObservation,
} from './model/target.js';
export { STATUSES, SEVERITIES, type Finding, type FindingEvidence, type Severity, type Status, type Verdict } from './model/verdict.js';
export { SCHEMA_VERSION, type PolicyRef, type Report, type SkippedPort, type Summary } from './model/report.js';
export { suiteByCode, suiteByName } from './registry/cipher-suites.js';
export type { CipherSuite } from './registry/cipher-suite.js';

// Sources: nmap.
export { parseNmapXml, type NmapParseResult } from './adapters/nmap/parse-nmap-xml.js';
export { readNmapXml, readNmapXmlFile, type NmapReadOptions, type NmapXmlInput } from './adapters/nmap/read-nmap-xml.js';
export type { NmapReadSummary } from './adapters/nmap/nmap-document-reader.js';
export type { NmapRunInfo } from './adapters/nmap/nmap-xml-splitter.js';

// Sources: SSL Labs.
export {
  assessWithSslLabs,
  type SslLabsAssessOptions,
  type SslLabsProgress,
  type SslLabsProgressState,
  type SslLabsRunSummary,
} from './adapters/ssllabs/assess-with-ssllabs.js';
export { importSslLabsJson } from './adapters/ssllabs/import-ssllabs-json.js';
export { registerSslLabsEmail, type SslLabsRegisterResult } from './adapters/ssllabs/register-email.js';
export type { SslLabsApiOptions } from './adapters/ssllabs/ssllabs-api.js';
export type { SslLabsRegistration } from './adapters/ssllabs/api-types.js';

// Sources: the built-in probe, and scan (SSL Labs for public names, the probe for the rest).
export { probe, probeMany, type ProbeOptions } from './adapters/probe/probe.js';
export { parseTarget, type ProbeTarget } from './adapters/probe/target.js';
export { STARTTLS_PROTOCOLS, type StartTlsProtocol } from './adapters/probe/starttls.js';
export { loadTrustStore, type TrustStore } from './adapters/probe/validate-chain.js';
export type { HttpProxy } from './adapters/probe/http-proxy.js';
export { scan, type ScanOptions } from './scan/scan.js';

// Sources: other tools' saved results, and any file by its content.
export { detectKind, importOne, type ImportInput, type ImportedFile } from './import/import-results.js';
export { IMPORT_KINDS, type FromKind, type ImportKind } from './import/detect-kind.js';
export { importTestsslCsv, importTestsslJson } from './adapters/testssl/import-testssl.js';
export { importSslyzeJson } from './adapters/sslyze/import-sslyze-json.js';
export { importSslscanXml } from './adapters/sslscan/import-sslscan-xml.js';
export type { ImportResult } from './adapters/observation-builder.js';

// Targets: lists of names, addresses, URLs and CIDR ranges.
export { parseTargetText, type TargetEntry } from './targets/parse-target-text.js';
export { rangeAddresses, type IpRange } from './targets/ip-range.js';
export { createExcluder, type TargetFilter } from './targets/exclude.js';
export { parseShard, type Shard } from './targets/shard.js';
export { TargetStream, type KeyedTarget, type TargetInput, type TargetStreamOptions } from './targets/target-stream.js';

// Judging: policies, evaluation, reports, merge and diff.
export { DEFAULT_POLICY_ID, builtinPolicyIds, loadPolicy, parsePolicy, validatePolicy, type ValidateOptions } from './policy/load-policy.js';
export { describePolicy } from './policy/describe-policy.js';
export { compilePolicy, type CompiledPolicy } from './policy/compile-policy.js';
export { evaluate, type EvaluateOptions } from './policy/evaluate.js';
export type {
  CertificateCheck,
  CertificateKeyType,
  CertificateRule,
  ForbidProtocolsRule,
  ForbidSuitesRule,
  KeyExchangeRule,
  Policy,
  PolicySchemaVersion,
  PolicySource,
  RequireAnySuiteRule,
  RequireProtocolRule,
  Rule,
  RuleType,
  ServerCipherPreferenceRule,
  SourceMarkedWeakRule,
  SuiteSelector,
} from './policy/policy.js';
export { buildReport, exitCodeFor, type ReportOptions } from './report/build-report.js';
export { mergeReports, type MergeOptions } from './report/merge-reports.js';
export {
  diffReports,
  type FindingChange,
  type Movement,
  type ReportDiff,
  type ReportSide,
  type StatusChange,
  type SuiteChange,
  type TargetDiff,
} from './report/diff-reports.js';
export { parseReport, readReport, validateReport } from './report/read-report.js';

// Rendering: one renderer per format, pdf through a local Chromium, and diffs.
export { FORMATS, type Format, type Renderer, type RenderOptions } from './render/renderer.js';
export { rendererFor } from './render/renderers.js';
export { renderTable } from './render/table.js';
export { renderJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { renderHtml } from './render/html.js';
export { renderCsv } from './render/csv.js';
export { renderJunit } from './render/junit.js';
export { renderSarif } from './render/sarif.js';
export { PAPER_SIZES, renderPdf, type PaperSize, type PdfOptions } from './render/pdf.js';
export { DIFF_FORMATS, renderDiff, type DiffFormat, type DiffRenderOptions } from './render/diff-renderers.js';

// Explaining: what to change on each kind of server.
export { SERVER_KINDS, type Advice, type ServerKind, type SnippetLanguage } from './remediation/advice.js';
export { adviceFor, type PolicyAdvice, type RemediateOptions } from './remediation/remediate.js';
export type { PlannedSuite, RemediationPlan } from './remediation/plan-remediation.js';
export { explainTarget } from './remediation/explain-target.js';
export { formatAdvice, formatAdviceMarkdown } from './remediation/format-advice.js';
