/**
 * Whatever nmap XML or SSL Labs JSON comes in, tlsaudit either writes a report that validates against its
 * own schema, in every format, or stops with one InputError line (exit 2). Nothing else may be thrown.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNmapXml } from '../../src/adapters/nmap/index.js';
import { importSslLabsJson } from '../../src/adapters/ssllabs/index.js';
import { InputError } from '../../src/errors.js';
import type { SkippedPort, TargetObservation } from '../../src/model/index.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { FORMATS } from '../../src/render/renderer.js';
import { rendererFor } from '../../src/render/renderers.js';
import { buildReport, collapseDuplicates, validateReport } from '../../src/report/index.js';
import { CIPHER_SUITES } from '../../src/registry/index.js';

const NMAP = new URL('../../fixtures/nmap/', import.meta.url);
const SSLLABS = new URL('../../fixtures/ssllabs/', import.meta.url);
const policies = [loadPolicy('dataverse'), loadPolicy('nist-800-52r2')];
// Registry names and nmap's TLS 1.3 spellings, so most generated suites are known ones.
const allSuites = [...CIPHER_SUITES.map((s) => s.name), 'TLS_AKE_WITH_AES_128_GCM_SHA256', 'TLS_AKE_WITH_CHACHA20_POLY1305_SHA256'];

/** The outcome the contract allows: a valid report in every format, or an InputError of one line. */
function judge(read: () => { observations: TargetObservation[]; skipped?: SkippedPort[] }): 'report' | 'input-error' {
  let input: { observations: TargetObservation[]; skipped?: SkippedPort[] };
  try {
    input = read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toMatch(/\n/);
    return 'input-error';
  }
  const report = buildReport(collapseDuplicates(input.observations), policies, { ...(input.skipped && { skipped: input.skipped }), generatedAt: new Date(0) });
  const json = rendererFor('json').render(report, { policies });
  validateReport(JSON.parse(json), 'the report');
  for (const format of FORMATS) expect(typeof rendererFor(format).render(report, { policies })).toBe('string');
  return 'report';
}

const readNmap = (xml: string) => () => {
  const { observations, summary } = parseNmapXml(xml, 'prop.xml');
  return { observations, skipped: summary.skipped };
};

const readSslLabs = (json: string) => () => ({ observations: importSslLabsJson(json, 'prop.json') });

// ---------------------------------------------------------------------------------------------- nmap

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#xa;');
/** Text with the characters that hurt: markup, quotes, entities, controls, astral and lone surrogates. */
const nasty = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', ' ', '&amp;', '&#xa;', '&#0;', '&bogus;', '<', ']]>', '"', '__proto__', 'constructor', '\u0000', '\ud800', '😀', 'TLSv1.2', 'NULL'),
);
const portid = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 65535 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '65536', '0x1bb', ' 443 ', '4.43e2', '-1', '', '443.0', '99999999999999999999') },
  { weight: 1, arbitrary: nasty },
);
const version = fc.oneof(fc.constantFrom('SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'), nasty);
const suiteName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allSuites) }, { weight: 1, arbitrary: nasty });
const elem = (key: string, value: fc.Arbitrary<string>) => value.map((v) => `<elem key="${key}">${xmlEscape(v)}</elem>`);
const suiteTable = fc
  .tuple(
    elem('name', suiteName),
    fc.option(elem('strength', fc.oneof(fc.constantFrom('A', 'B', 'F', 'strong', 'weak', 'unknown strength'), nasty))),
    fc.option(elem('kex_info', fc.oneof(fc.constantFrom('secp256r1', 'rsa 2048', 'dh 99999999999999999999', 'ecdh_x25519', 'dh 1.5'), nasty))),
  )
  .map(([n, s, k]) => `<table>${n}${s ?? ''}${k ?? ''}</table>`);
const protocolTable = fc
  .tuple(version, fc.array(suiteTable, { maxLength: 5 }), fc.option(elem('cipher preference', fc.oneof(fc.constantFrom('server', 'client', 'indeterminate'), nasty))), fc.array(nasty, { maxLength: 2 }))
  .map(
    ([v, suites, pref, warnings]) =>
      `<table key="${xmlEscape(v)}"><table key="ciphers">${suites.join('')}</table><table key="compressors"><elem>NULL</elem></table>${pref ?? ''}${warnings.length ? `<table key="warnings">${warnings.map((w) => `<elem>${xmlEscape(w)}</elem>`).join('')}</table>` : ''}</table>`,
  );
const script = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.array(protocolTable, { maxLength: 3 }), fc.option(nasty)).map(([ps, least]) => `<script id="ssl-enum-ciphers" output="x">${ps.join('')}${least !== null ? `<elem key="least strength">${xmlEscape(least)}</elem>` : ''}</script>`),
  // The text-only form of nmap before 6.25, with arbitrary lines mixed in.
  fc.array(fc.oneof(version, suiteName.map((n) => `      ${n} - strong`), fc.constantFrom('    Ciphers (2)', '    Compressors (1)', '  Least strength = weak', '    cipher preference: server'), nasty), { maxLength: 10 }).map((lines) => `<script id="ssl-enum-ciphers" output="${xmlEscape(`\n${lines.join('\n')}\n`)}"/>`),
);
const port = fc
  .tuple(portid, fc.constantFrom('tcp', 'udp', 'sctp'), fc.constantFrom('open', 'closed', 'filtered', 'open|filtered'), fc.option(fc.oneof(fc.constantFrom('https', 'http', 'smtp', 'ssh', 'ms-sql-s'), nasty)), fc.option(fc.constantFrom('ssl', 'none')), script)
  .map(
    ([id, proto, state, service, tunnel, s]) =>
      `<port protocol="${proto}" portid="${xmlEscape(id)}"><state state="${state}" reason="syn-ack"/>${service !== null ? `<service name="${xmlEscape(service)}"${tunnel !== null ? ` tunnel="${tunnel}"` : ''} method="table" conf="3"/>` : ''}${s}</port>`,
  );
const host = fc
  .tuple(fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), nasty)), fc.array(fc.tuple(nasty, fc.constantFrom('user', 'PTR', 'other')), { maxLength: 2 }), fc.array(port, { maxLength: 4 }), fc.option(fc.oneof(fc.integer().map(String), nasty)))
  .map(
    ([address, names, ports, start]) =>
      `<host${start !== null ? ` starttime="${xmlEscape(start)}"` : ''}><status state="up"/>${address !== null ? `<address addr="${xmlEscape(address)}" addrtype="${address.includes(':') ? 'ipv6' : 'ipv4'}"/>` : ''}<hostnames>${names.map(([n, t]) => `<hostname name="${xmlEscape(n)}" type="${t}"/>`).join('')}</hostnames><ports>${ports.join('')}</ports></host>\n`,
  );
const nmapDocument = fc
  .tuple(fc.array(host, { maxLength: 4 }), fc.boolean(), fc.option(fc.oneof(fc.integer().map(String), fc.constantFrom('1e300', '-5', 'NaN'))))
  .map(([hosts, complete, start]) => `<?xml version="1.0"?>\n<nmaprun scanner="nmap" version="7.95"${start !== null ? ` start="${start}"` : ''}>\n${hosts.join('')}${complete ? '</nmaprun>\n' : ''}`);

/** Random damage to a text: cuts, insertions, repeated slices. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 200 }), fc.oneof(nasty, fc.constantFrom('<', '>', '"', '</host>', '<host>', '<![CDATA[', '<!--', '</nmaprun>', 'portid="0x1bb"', '{', '}', '[', ']', ',', 'null', '1.5', '-1', '99999')), fc.constantFrom('cut', 'insert', 'replace', 'repeat', 'truncate'));
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    let t = text;
    for (const [at, len, piece, kind] of edits) {
      const i = t.length === 0 ? 0 : at % t.length;
      if (kind === 'cut') t = t.slice(0, i) + t.slice(i + len);
      else if (kind === 'insert') t = t.slice(0, i) + piece + t.slice(i);
      else if (kind === 'replace') t = t.slice(0, i) + piece + t.slice(i + len);
      else if (kind === 'repeat') t = t.slice(0, i + len) + t.slice(i, i + len) + t.slice(i + len);
      else t = t.slice(0, i);
    }
    return t;
  });
}

const nmapFixtures = readdirSync(NMAP)
  .filter((f) => f.endsWith('.xml') && f !== 'billion-laughs.xml')
  .map((f) => readFileSync(new URL(f, NMAP), 'utf8'));

describe('any nmap XML in: a schema-valid report or one InputError line', () => {
  it('generated documents', () => {
    const outcomes = new Set<string>();
    fc.assert(fc.property(nmapDocument, (xml) => void outcomes.add(judge(readNmap(xml)))), { numRuns: 300 });
    // Both outcomes occur, so neither half of the property is vacuous.
    expect(outcomes).toEqual(new Set(['report', 'input-error']));
  });

  it('real files with random damage', () => {
    fc.assert(fc.property(mutated(fc.constantFrom(...nmapFixtures)), (xml) => void judge(readNmap(xml))), { numRuns: 300 });
  });
});

// ----------------------------------------------------------------------------------------- SSL Labs

/** Fields tlsaudit never reads (client simulations, raw certificates, HTTP transcripts) are left out, so the edits land where they matter. */
const UNREAD = new Set(['sims', 'raw', 'httpTransactions', 'hstsPreloads', 'trustPaths', 'dhPrimes', 'hpkpPolicy', 'hpkpRoPolicy', 'staticPkpPolicy', 'hstsPolicy', 'crlURIs', 'ocspURIs', 'chain']);
const sslLabsFixtures = readdirSync(SSLLABS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, SSLLABS), 'utf8'), (k, v: unknown) => (UNREAD.has(k) ? undefined : v)) as unknown);

/** Values a careless or older writer puts where SSL Labs puts something else. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 0.5, 255.5, 99999, 1e300, -0, '', '443', ' 443 ', '0x1bb', 'READY', 'Ready', [], {}, [null], { CN: 'x' }),
  fc.double(),
  fc.integer(),
  nasty,
  fc.jsonValue({ maxDepth: 2 }),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON tree. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], value: unknown): Json {
  if (path.length === 0) return value as Json;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return root;
}

const damagedHost = fc
  .tuple(fc.constantFrom(...sslLabsFixtures), fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 5 }))
  .map(([fixture, edits]) => {
    let doc = structuredClone(fixture) as Json;
    for (const [n, value] of edits) {
      const all = paths(doc);
      doc = setAt(doc, all[n % all.length]!, value);
    }
    return JSON.stringify(doc);
  });

describe('any SSL Labs JSON in: a schema-valid report or one InputError line', () => {
  it('real responses (API v2 and v3) with values replaced anywhere', () => {
    const outcomes = new Set<string>();
    fc.assert(fc.property(damagedHost, (json) => void outcomes.add(judge(readSslLabs(json)))), { numRuns: 250 });
    expect(outcomes).toEqual(new Set(['report', 'input-error']));
  });

  it('arbitrary JSON, and real files with their text damaged', () => {
    fc.assert(fc.property(fc.jsonValue().map((v) => JSON.stringify(v)), (json) => void judge(readSslLabs(json))), { numRuns: 200 });
    const texts = sslLabsFixtures.map((f) => JSON.stringify(f, null, 1));
    fc.assert(fc.property(mutated(fc.constantFrom(...texts)), (json) => void judge(readSslLabs(json))), { numRuns: 200 });
  });
});
