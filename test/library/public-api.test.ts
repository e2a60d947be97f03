/**
 * The package's export list is exactly the documented set: a new export (or a lost one) fails here until
 * both this list and docs/library.md say so, so that the public API grows only on purpose. Read from the
 * built package (dist/), as a user gets it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { ROOT } from '../helpers/run-cli.js';

const run = promisify(execFile);

const VALUES = [
  // Errors and the version.
  'TlsAuditError', 'UsageError', 'InputError', 'PolicyError', 'PdfBrowserError', 'SslLabsRegistrationError', 'ERROR_CODES', 'VERSION',
  // The model and the registry.
  'PROTOCOL_VERSIONS', 'SOURCE_KINDS', 'STATUSES', 'SEVERITIES', 'SCHEMA_VERSION', 'suiteByCode', 'suiteByName',
  // Sources.
  'parseNmapXml', 'readNmapXml', 'readNmapXmlFile',
  'assessWithSslLabs', 'importSslLabsJson', 'registerSslLabsEmail',
  'probe', 'probeMany', 'parseTarget', 'STARTTLS_PROTOCOLS', 'loadTrustStore', 'scan',
  'detectKind', 'importOne', 'IMPORT_KINDS', 'importTestsslCsv', 'importTestsslJson', 'importSslyzeJson', 'importSslscanXml',
  // Targets.
  'parseTargetText', 'rangeAddresses', 'createExcluder', 'parseShard', 'TargetStream',
  // Policies, evaluation, reports.
  'DEFAULT_POLICY_ID', 'builtinPolicyIds', 'loadPolicy', 'parsePolicy', 'validatePolicy', 'describePolicy',
  'compilePolicy', 'evaluate', 'buildReport', 'exitCodeFor', 'mergeReports', 'diffReports',
  'parseReport', 'readReport', 'validateReport',
  // Rendering.
  'FORMATS', 'rendererFor', 'renderTable', 'renderJson', 'renderMarkdown', 'renderHtml', 'renderCsv', 'renderJunit', 'renderSarif',
  'PAPER_SIZES', 'renderPdf', 'DIFF_FORMATS', 'renderDiff',
  // Explaining.
  'SERVER_KINDS', 'adviceFor', 'explainTarget', 'formatAdvice', 'formatAdviceMarkdown',
];

const TYPES = [
  'ErrorCode',
  // The model.
  'ProtocolVersion', 'SourceKind', 'Provenance', 'CertificateDetails', 'CertificateKeyFamily', 'CertificateObservation', 'CertificateValidation',
  'CertificateSummary', 'CipherObservation', 'CipherPreference', 'Disagreement', 'EvidenceGap', 'PolicyVerdict', 'ProtocolObservation',
  'SourceRun', 'SuiteEvidence', 'Target', 'TargetObservation', 'Finding', 'FindingEvidence', 'Severity', 'Status', 'Verdict',
  'PolicyRef', 'Report', 'SkippedPort', 'Summary', 'CipherSuite',
  // Sources.
  'NmapParseResult', 'NmapReadOptions', 'NmapXmlInput', 'NmapReadSummary', 'NmapRunInfo',
  'SslLabsAssessOptions', 'SslLabsProgress', 'SslLabsProgressState', 'SslLabsRunSummary', 'SslLabsRegisterResult', 'SslLabsApiOptions',
  'SslLabsRegistration',
  'ProbeOptions', 'ProbeTarget', 'StartTlsProtocol', 'TrustStore', 'HttpProxy', 'ScanOptions',
  'ImportInput', 'ImportedFile', 'FromKind', 'ImportKind', 'ImportResult',
  // Targets.
  'TargetEntry', 'IpRange', 'TargetFilter', 'Shard', 'KeyedTarget', 'TargetInput', 'TargetStreamOptions',
  // Policies, evaluation, reports.
  'ValidateOptions', 'CompiledPolicy', 'EvaluateOptions', 'CertificateCheck', 'CertificateKeyType', 'CertificateRule', 'ForbidProtocolsRule',
  'ForbidSuitesRule', 'KeyExchangeRule', 'Policy', 'PolicySchemaVersion', 'PolicySource', 'RequireAnySuiteRule', 'RequireProtocolRule',
  'Rule', 'RuleType', 'ServerCipherPreferenceRule', 'SourceMarkedWeakRule', 'SuiteSelector',
  'ReportOptions', 'MergeOptions', 'FindingChange', 'Movement', 'ReportDiff', 'ReportSide', 'StatusChange', 'SuiteChange', 'TargetDiff',
  // Rendering and explaining.
  'Format', 'Renderer', 'RenderOptions', 'PaperSize', 'PdfOptions', 'DiffFormat', 'DiffRenderOptions',
  'Advice', 'ServerKind', 'SnippetLanguage', 'PolicyAdvice', 'RemediateOptions', 'RemediationPlan', 'PlannedSuite',
];

const sorted = (names: Iterable<string>): string[] => [...names].sort();
const library = readFileSync(`${ROOT}docs/library.md`, 'utf8');

/** Every name dist/index.d.ts exports, values and types, as the TypeScript checker resolves them. */
function declaredExports(): string[] {
  const entry = join(ROOT, 'dist/index.d.ts');
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    // Only the names are read: without the standard library and @types/node the program builds in a fraction of the time.
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map((s) => s.name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the public API', () => {
  it('exports exactly the documented values at run time', async () => {
    const script = "import * as api from 'tlsaudit'; console.log(JSON.stringify(Object.keys(api)));";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(sorted(JSON.parse(stdout) as string[])).toEqual(sorted(VALUES));
  });

  it('declares exactly the documented values and types', () => {
    expect(sorted(declaredExports())).toEqual(sorted([...VALUES, ...TYPES]));
  });

  it('documents every exported name in docs/library.md', () => {
    const missing = [...VALUES, ...TYPES].filter((name) => !new RegExp(`\`(new )?${name}[(\`]`).test(library));
    expect(missing).toEqual([]);
  });

  it('re-exports no internal folder wholesale', () => {
    expect(readFileSync(`${ROOT}src/index.ts`, 'utf8')).not.toMatch(/export \*|export type \*/);
  });

  it('has one error code for every code the sources throw, each in the table of docs/library.md', () => {
    const thrown = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/code: '(E_[A-Z0-9_]+)'/g)) thrown.add(m[1]!);
    }
    expect(sorted(ERROR_CODES)).toEqual(sorted(thrown));
    const table = new Set([...library.matchAll(/^\| `(E_[A-Z0-9_]+)` \| `\w+` \| \d \|/gm)].map((m) => m[1]!));
    expect(sorted(table)).toEqual(sorted(ERROR_CODES));
  });
});
