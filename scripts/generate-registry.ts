/**
 * Regenerates src/registry/*.generated.ts from the copies of IANA's registries in data/
 * (see data/README.md). `generateRegistry` is pure so the tests can check that the
 * committed files are exactly what the data produce.
 *
 *   npm run generate:registry
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CipherSuite, Recommended } from '../src/registry/cipher-suite.js';
import type { GroupKind, NamedGroup } from '../src/registry/named-group.js';
import { decomposeSuiteName } from '../src/registry/decompose-suite-name.js';

export interface RegistryInputs {
  /** data/tls-parameters-4.csv (IANA TLS Cipher Suites). */
  readonly suitesCsv: string;
  /** data/tls-parameters-8.csv (IANA TLS Supported Groups). */
  readonly groupsCsv: string;
  /** data/openssl-ciphers.txt (`openssl ciphers -V` output). */
  readonly opensslCiphers: string;
  /** data/openssl-ciphers-manual.txt (the CIPHER SUITE NAMES section of openssl-ciphers(1)). */
  readonly opensslManual: string;
  /** data/non-iana-cipher-suites.csv (pre-standard code points still seen in the wild). */
  readonly nonIanaSuitesCsv: string;
}

export interface RegistryOutputs {
  readonly 'cipher-suites.generated.ts': string;
  readonly 'groups.generated.ts': string;
}

/** RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted cell.');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as records keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) return [];
  return rows
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

export function formatCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** "0xC0,0x2F" → 0xC02F; ranges ("0x00,0x1C-1D", "0x01-09,*") → undefined. */
export function parseSuiteValue(value: string): number | undefined {
  const m = /^0x([0-9A-Fa-f]{2}),0x([0-9A-Fa-f]{2})$/.exec(value.trim());
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return (parseInt(m[1], 16) << 8) | parseInt(m[2], 16);
}

function recommendedOf(value: string, where: string): Recommended {
  if (value === 'Y' || value === 'N' || value === 'D' || value === '') return value;
  throw new Error(`${where}: unexpected Recommended value ${JSON.stringify(value)}.`);
}

/** "[RFC5246][RFC6347]" → ["RFC5246", "RFC6347"]. */
function splitReferences(ref: string): string[] {
  const items = [...ref.matchAll(/\[([^\]]+)\]/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ' ').trim());
  return items.length > 0 ? items : ref.trim() === '' ? [] : [ref.trim()];
}

/** `openssl ciphers -V` lines ("0xC0,0x2F - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=...") → code → name. */
export function parseOpensslCiphers(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(0x[0-9A-Fa-f]{2},0x[0-9A-Fa-f]{2})\s+-\s+(\S+)/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const code = parseSuiteValue(m[1]);
    if (code !== undefined && !names.has(code)) names.set(code, m[2]);
  }
  return names;
}

/** One row of a CIPHER SUITE NAMES table in openssl-ciphers(1). */
export interface ManualEntry {
  /** The specification's name as the manual writes it: `SSL_*`, `TLS_*`, or without the prefix (`PSK_WITH_NULL_SHA`). */
  readonly standard: string;
  /** OpenSSL's name; undefined for "Not implemented.". */
  readonly openssl?: string;
  /** A name only older releases accept ("Older names used by OpenSSL": `EDH-RSA-DES-CBC3-SHA (DHE-RSA-DES-CBC3-SHA)`). */
  readonly older?: string;
}

const OPENSSL_NAME = /^[A-Z0-9][A-Z0-9_-]*$/;

/**
 * Table rows of data/openssl-ciphers-manual.txt: lines indented by a space whose first word is a
 * suite name (prose and headings start in column 0). A second column that is neither a name, a
 * name with the current one in parentheses, nor "Not implemented." is an error, so a rewording in
 * a newer manual is noticed rather than skipped.
 */
export function parseOpensslManual(text: string): ManualEntry[] {
  const entries: ManualEntry[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const m = /^ +((?:SSL_|TLS_)?[A-Za-z0-9]+_[A-Za-z0-9_]+)\s+(\S.*?)\s*$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const standard = m[1];
    const second = m[2];
    const older = /^(\S+) \((\S+)\)$/.exec(second);
    if (second === 'Not implemented.') entries.push({ standard });
    else if (OPENSSL_NAME.test(second)) entries.push({ standard, openssl: second });
    else if (older?.[1] !== undefined && older[2] !== undefined && OPENSSL_NAME.test(older[1]) && OPENSSL_NAME.test(older[2])) {
      entries.push({ standard, openssl: older[2], older: older[1] });
    } else {
      throw new Error(`openssl-ciphers-manual.txt line ${i + 1}: cannot read ${JSON.stringify(line.trim())}.`);
    }
  }
  return entries;
}

/**
 * The spellings a manual name may have in the registry: as written, with `TLS_` for `SSL_` or
 * added where the manual leaves the prefix out, and with the `-draft` suffix the registry gives
 * pre-standard entries (the GOST94/GOST2001 suites of draft-chudov-cryptopro-cptls).
 */
function manualNameCandidates(standard: string): string[] {
  const tls = standard.startsWith('SSL_') ? `TLS_${standard.slice(4)}` : standard.startsWith('TLS_') ? standard : `TLS_${standard}`;
  return [...new Set([standard, tls])].flatMap((n) => [n, `${n}-draft`]);
}

export interface ManualNames {
  /** code → OpenSSL name (and an older name) from the manual. */
  readonly byCode: Map<number, { openssl: string; older?: string }>;
  /** Manual rows with an OpenSSL name whose standard name is in neither registry file. */
  readonly unresolved: readonly ManualEntry[];
}

/**
 * Resolves the manual's rows to code points through `nameToCode` (registry names and aliases, IANA
 * first). A code the manual names in one table and calls "Not implemented." in another (SSL 3.0 vs
 * TLS 1.0 tables for DH_DSS/DH_RSA 3DES) gets the name: OpenSSL did name it.
 */
export function resolveManualNames(entries: readonly ManualEntry[], nameToCode: ReadonlyMap<string, number>): ManualNames {
  const byCode = new Map<number, { openssl: string; older?: string }>();
  const unresolved: ManualEntry[] = [];
  for (const e of entries) {
    if (e.openssl === undefined) continue;
    const code = manualNameCandidates(e.standard)
      .map((n) => nameToCode.get(n.toUpperCase()))
      .find((c) => c !== undefined);
    if (code === undefined) {
      unresolved.push(e);
      continue;
    }
    const prev = byCode.get(code);
    if (prev !== undefined && prev.openssl !== e.openssl) {
      throw new Error(`openssl-ciphers-manual.txt: ${formatCode(code)} is both ${prev.openssl} and ${e.openssl} (${e.standard}).`);
    }
    const older = e.older ?? prev?.older;
    byCode.set(code, { openssl: e.openssl, ...(older === undefined ? {} : { older }) });
  }
  return { byCode, unresolved };
}

function opensslVersion(text: string): string {
  const m = /^#\s*(OpenSSL [^(\r\n]+?)\s*(?:\(|$)/m.exec(text);
  return m?.[1] ?? 'unknown';
}

type UnnamedSuite = Omit<CipherSuite, 'openssl' | 'opensslFromManual'>;

/** Registry names and aliases (upper case) → code, the first entry (IANA's) winning as in suiteByName. */
function nameIndex(suites: readonly UnnamedSuite[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const s of suites) {
    for (const n of [s.name, ...(s.aliases ?? [])]) if (!index.has(n.toUpperCase())) index.set(n.toUpperCase(), s.code);
  }
  return index;
}

/** The suites without OpenSSL names, IANA's first. */
function buildUnnamedSuites(inputs: RegistryInputs): UnnamedSuite[] {
  const suites: UnnamedSuite[] = [];
  const seen = new Set<number>();
  for (const rec of csvRecords(inputs.suitesCsv)) {
    const code = parseSuiteValue(rec.Value ?? '');
    const name = rec.Description ?? '';
    if (code === undefined || !/^TLS_[A-Za-z0-9_]+$/.test(name)) continue;
    const where = `tls-parameters-4.csv ${rec.Value}`;
    const parts = decomposeSuiteName(name);
    if (parts === undefined) throw new Error(`${where}: cannot decompose ${name}.`);
    if (seen.has(code)) throw new Error(`${where}: duplicate code point.`);
    seen.add(code);
    suites.push({
      code,
      hex: formatCode(code),
      name,
      ...parts,
      recommended: recommendedOf(rec.Recommended ?? '', where),
      dtlsOk: rec['DTLS-OK'] === 'Y',
      references: splitReferences(rec.Reference ?? ''),
      iana: true,
    });
  }
  for (const rec of csvRecords(inputs.nonIanaSuitesCsv)) {
    const code = parseSuiteValue(rec.Value ?? '');
    const name = rec.Description ?? '';
    const where = `non-iana-cipher-suites.csv ${rec.Value}`;
    if (code === undefined) throw new Error(`${where}: not a single code point.`);
    const parts = decomposeSuiteName(name);
    if (parts === undefined) throw new Error(`${where}: cannot decompose ${name}.`);
    const aliases = (rec.Aliases ?? '').split(/\s+/).filter((a) => a !== '');
    suites.push({
      code,
      hex: formatCode(code),
      name,
      ...parts,
      recommended: '',
      dtlsOk: false,
      references: splitReferences(rec.Reference ?? ''),
      iana: false,
      ...(aliases.length > 0 ? { aliases } : {}),
    });
  }
  return suites;
}

/** The manual's names resolved against the registry files (for the tests and the generator). */
export function manualNames(inputs: RegistryInputs): ManualNames {
  return resolveManualNames(parseOpensslManual(inputs.opensslManual), nameIndex(buildUnnamedSuites(inputs)));
}

/**
 * Every suite, with its OpenSSL name from `openssl ciphers -V` of the captured build, or else from
 * the manual's tables (`opensslFromManual: true`): builds without 3DES, RC4 or static DH do not
 * list those suites, but servers built against older OpenSSL still accept their names. The two
 * sources must agree where both name a suite. Where a pre-standard entry shares a code with an
 * IANA one, only the IANA entry gets the name.
 */
export function buildCipherSuites(inputs: RegistryInputs): CipherSuite[] {
  const listed = parseOpensslCiphers(inputs.opensslCiphers);
  const unnamed = buildUnnamedSuites(inputs);
  const manual = resolveManualNames(parseOpensslManual(inputs.opensslManual), nameIndex(unnamed)).byCode;
  for (const [code, m] of manual) {
    const l = listed.get(code);
    if (l !== undefined && l !== m.openssl) {
      throw new Error(`${formatCode(code)}: openssl ciphers -V names it ${l}, the manual ${m.openssl}.`);
    }
  }
  const named = new Set<number>();
  return unnamed.map((suite) => {
    const first = !named.has(suite.code);
    named.add(suite.code);
    const fromList = first ? listed.get(suite.code) : undefined;
    const fromManual = first && fromList === undefined ? manual.get(suite.code) : undefined;
    const openssl = fromList ?? fromManual?.openssl;
    const { iana, aliases, ...rest } = suite;
    const older = first ? manual.get(suite.code)?.older : undefined;
    const allAliases = [...(aliases ?? []), ...(older === undefined ? [] : [older])];
    return {
      ...rest,
      ...(openssl === undefined ? {} : { openssl }),
      ...(fromManual === undefined ? {} : { opensslFromManual: true as const }),
      iana,
      ...(allAliases.length > 0 ? { aliases: allAliases } : {}),
    };
  });
}

const GROUP_KINDS: readonly (readonly [RegExp, GroupKind])[] = [
  [/^(?:X25519|SecP\d+r1)(?:MLKEM|Kyber)/i, 'hybrid'],
  [/^MLKEM\d+$/i, 'pq'],
  [/^ffdhe\d+$/i, 'ff'],
  [/^(?:sect|secp|brainpoolP|GC\d|curveSM2|x25519|x448|arbitrary_explicit_)/i, 'ec'],
];

function groupBits(name: string): number | undefined {
  if (/^x25519$/i.test(name)) return 255;
  if (/^x448$/i.test(name)) return 448;
  if (name === 'curveSM2') return 256;
  const m = /^(?:sect|secp|brainpoolP|GC|ffdhe)(\d+)/.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export function buildGroups(inputs: RegistryInputs): NamedGroup[] {
  const groups: NamedGroup[] = [];
  for (const rec of csvRecords(inputs.groupsCsv)) {
    const value = rec.Value ?? '';
    const name = rec.Description ?? '';
    if (!/^\d+$/.test(value) || /^(?:Unassigned|Reserved)\b/.test(name)) continue;
    const where = `tls-parameters-8.csv ${value}`;
    const obsolete = / \(OBSOLETE\)$/.test(name);
    const bare = name.replace(/ \(OBSOLETE\)$/, '');
    const kind = GROUP_KINDS.find(([re]) => re.test(bare))?.[1];
    if (kind === undefined) throw new Error(`${where}: cannot classify group ${name}.`);
    const bits = groupBits(bare);
    const id = Number(value);
    groups.push({
      id,
      hex: formatCode(id),
      name,
      kind,
      ...(bits === undefined ? {} : { bits }),
      recommended: recommendedOf(rec.Recommended ?? '', where),
      dtlsOk: rec['DTLS-OK'] === 'Y',
      references: splitReferences(rec.Reference ?? ''),
      ...(obsolete ? { obsolete: true } : {}),
    });
  }
  return groups;
}

/** One object per line, keys unquoted, numbers that are code points in hex. */
function literal(obj: object, hexKeys: readonly string[]): string {
  const fields = Object.entries(obj).map(([k, v]) =>
    `${k}: ${hexKeys.includes(k) && typeof v === 'number' ? formatCode(v) : JSON.stringify(v)}`,
  );
  return `  { ${fields.join(', ')} },`;
}

const HEADER = '// Generated by scripts/generate-registry.ts (npm run generate:registry). Do not edit by hand.\n';

export function generateRegistry(inputs: RegistryInputs): RegistryOutputs {
  const suites = buildCipherSuites(inputs);
  const groups = buildGroups(inputs);
  const suitesTs = [
    HEADER +
      `// Sources: data/tls-parameters-4.csv (IANA), data/non-iana-cipher-suites.csv, OpenSSL names from data/openssl-ciphers.txt and data/openssl-ciphers-manual.txt.`,
    `import type { CipherSuite } from './cipher-suite.js';`,
    '',
    `/** The OpenSSL whose \`openssl ciphers -V\` output supplied the \`openssl\` names. */`,
    `export const OPENSSL_NAMES_FROM = ${JSON.stringify(opensslVersion(inputs.opensslCiphers))};`,
    '',
    `/** The OpenSSL whose openssl-ciphers(1) manual supplied the names marked \`opensslFromManual\`. */`,
    `export const OPENSSL_MANUAL_NAMES_FROM = ${JSON.stringify(opensslVersion(inputs.opensslManual))};`,
    '',
    `export const GENERATED_CIPHER_SUITES: readonly CipherSuite[] = [`,
    ...suites.map((s) => literal(s, ['code'])),
    '];',
    '',
  ].join('\n');
  const groupsTs = [
    HEADER + `// Source: data/tls-parameters-8.csv (IANA TLS Supported Groups).`,
    `import type { NamedGroup } from './named-group.js';`,
    '',
    `export const GENERATED_GROUPS: readonly NamedGroup[] = [`,
    ...groups.map((g) => literal(g, [])),
    '];',
    '',
  ].join('\n');
  return { 'cipher-suites.generated.ts': suitesTs, 'groups.generated.ts': groupsTs };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function readRegistryInputs(root = ROOT): RegistryInputs {
  const read = (p: string): string => readFileSync(join(root, 'data', p), 'utf8');
  return {
    suitesCsv: read('tls-parameters-4.csv'),
    groupsCsv: read('tls-parameters-8.csv'),
    opensslCiphers: read('openssl-ciphers.txt'),
    opensslManual: read('openssl-ciphers-manual.txt'),
    nonIanaSuitesCsv: read('non-iana-cipher-suites.csv'),
  };
}

function main(): void {
  const outputs = generateRegistry(readRegistryInputs());
  for (const [file, text] of Object.entries(outputs)) {
    writeFileSync(join(ROOT, 'src', 'registry', file), text);
    process.stdout.write(`wrote src/registry/${file}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
