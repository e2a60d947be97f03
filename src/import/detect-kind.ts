/** The kinds of result file `import` reads. */
export const IMPORT_KINDS = ['nmap', 'ssllabs', 'testssl-json', 'testssl-csv', 'sslyze', 'sslscan', 'report'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** What --from accepts: a kind, or "testssl" (JSON or CSV, told from the content) and "tlsaudit" (a report). */
export const FROM_KINDS = [...IMPORT_KINDS, 'testssl', 'tlsaudit'] as const;
export type FromKind = (typeof FROM_KINDS)[number];

/** Human names for the one-line error that lists what was tried. */
export const KIND_NAMES: Readonly<Record<ImportKind, string>> = {
  nmap: 'nmap XML',
  ssllabs: 'SSL Labs JSON',
  'testssl-json': 'testssl.sh JSON',
  'testssl-csv': 'testssl.sh CSV',
  sslyze: 'sslyze JSON',
  sslscan: 'sslscan XML',
  report: 'tlsaudit JSON report',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The kind of an already parsed JSON document, or undefined. */
export function detectJsonKind(data: unknown): ImportKind | undefined {
  if (isObject(data)) {
    if (typeof data.schemaVersion === 'number' && Array.isArray(data.targets)) return 'report';
    if (Array.isArray(data.server_scan_results) || Array.isArray(data.accepted_targets)) return 'sslyze';
    if (Array.isArray(data.scanResult)) return 'testssl-json';
    if (typeof data.host === 'string' && (typeof data.status === 'string' || Array.isArray(data.endpoints))) return 'ssllabs';
    return undefined;
  }
  if (Array.isArray(data)) {
    const first = data.find(isObject);
    if (!first) return undefined;
    if (typeof first.id === 'string' && 'finding' in first) return 'testssl-json';
    if (typeof first.host === 'string' && (typeof first.status === 'string' || Array.isArray(first.endpoints))) return 'ssllabs';
  }
  return undefined;
}

/**
 * The kind of a file from its first bytes (and, for JSON, its parsed content). XML is told by its root
 * element, testssl.sh CSV by its header row; JSON needs the document, which the caller parses once.
 */
export function detectTextKind(head: string): ImportKind | 'json' | undefined {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<')) {
    // Past the XML declaration, comments and DOCTYPE: the first element names the document.
    const root = /<(?![?!])([\w:-]+)/.exec(t)?.[1];
    if (root === 'nmaprun') return 'nmap';
    if (root === 'document' && /<ssltest\b|title="SSLScan/i.test(t)) return 'sslscan';
    if (root === undefined && /<!DOCTYPE nmaprun|<\?xml-stylesheet[^>]*nmap\.xsl/.test(t)) return 'nmap';
    return undefined;
  }
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  const header = t.split(/\r?\n/, 1)[0]!.toLowerCase();
  if (/^"?id"?\s*,/.test(header) && header.includes('fqdn/ip')) return 'testssl-csv';
  return undefined;
}
