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

function opensslVersion(text: string): string {
  const m = /^#\s*(OpenSSL [^(\r\n]+?)\s*(?:\(|$)/m.exec(text);
  return m?.[1] ?? 'unknown';
}

export function buildCipherSuites(inputs: RegistryInputs): CipherSuite[] {
  const openssl = parseOpensslCiphers(inputs.opensslCiphers);
  const suites: CipherSuite[] = [];
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
    const opensslName = openssl.get(code);
    suites.push({
      code,
      hex: formatCode(code),
      name,
      ...parts,
      recommended: recommendedOf(rec.Recommended ?? '', where),
      dtlsOk: rec['DTLS-OK'] === 'Y',
      references: splitReferences(rec.Reference ?? ''),
      ...(opensslName === undefined ? {} : { openssl: opensslName }),
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
    const opensslName = seen.has(code) ? undefined : openssl.get(code);
    suites.push({
      code,
      hex: formatCode(code),
      name,
      ...parts,
      recommended: '',
      dtlsOk: false,
      references: splitReferences(rec.Reference ?? ''),
      ...(opensslName === undefined ? {} : { openssl: opensslName }),
      iana: false,
      ...(aliases.length > 0 ? { aliases } : {}),
    });
  }
  return suites;
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
    HEADER + `// Sources: data/tls-parameters-4.csv (IANA), data/non-iana-cipher-suites.csv, OpenSSL names from data/openssl-ciphers.txt.`,
    `import type { CipherSuite } from './cipher-suite.js';`,
    '',
    `/** The OpenSSL whose \`openssl ciphers -V\` output supplied the \`openssl\` names. */`,
    `export const OPENSSL_NAMES_FROM = ${JSON.stringify(opensslVersion(inputs.opensslCiphers))};`,
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
