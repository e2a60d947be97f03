import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, NAMED_GROUPS, isGreaseCode, suiteByCode, groupById } from '../../src/registry/index.js';

const dataFile = (name: string): string => readFileSync(new URL(`../../data/${name}`, import.meta.url), 'utf8');

/**
 * A deliberately separate CSV reader (regex over cells) so a bug in the generator's parser
 * cannot hide itself: a cell is either "…" with "" escapes (may span lines) or runs to , or EOL.
 */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  const cell = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|\n|\r|$)/g;
  for (let m = cell.exec(text); m !== null && m.index < text.length; m = cell.exec(text)) {
    const raw = m[1] ?? '';
    row.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (m[2] !== ',') {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

describe('IANA TLS Cipher Suites (data/tls-parameters-4.csv)', () => {
  const rows = readCsv(dataFile('tls-parameters-4.csv'));
  const header = rows[0];
  const assigned = rows
    .slice(1)
    .filter(([value, description]) => /^"?0x[0-9A-F]{2},0x[0-9A-F]{2}$/.test(value ?? '') && (description ?? '').startsWith('TLS_'));

  it('has the expected header and quoted multi-line cells were read as one row', () => {
    expect(header).toEqual(['Value', 'Description', 'DTLS-OK', 'Recommended', 'Reference', 'Comment']);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    expect(rows.some((r) => (r[1] ?? '').includes('\n'))).toBe(true);
  });

  it('every assigned code point round-trips with its name, Recommended and DTLS-OK', () => {
    expect(assigned.length).toBeGreaterThan(300);
    for (const [value, name, dtls, recommended] of assigned) {
      const code = parseInt((value ?? '').replace(/0x|,/g, ''), 16);
      const suite = suiteByCode(code);
      expect(suite, `${value} ${name}`).toBeDefined();
      expect({ code: suite?.code, name: suite?.name, recommended: suite?.recommended, dtlsOk: suite?.dtlsOk, iana: suite?.iana }).toEqual({
        code,
        name,
        recommended,
        dtlsOk: dtls === 'Y',
        iana: true,
      });
    }
  });

  it('holds no IANA entry that the CSV does not assign', () => {
    expect(CIPHER_SUITES.filter((s) => s.iana)).toHaveLength(assigned.length);
  });

  it('leaves ranges, Unassigned and Reserved rows out, and the Reserved single code points are GREASE', () => {
    const reservedSingles = rows.filter(([value, description]) => /^0x..,0x..$/.test(value ?? '') && description === 'Reserved');
    expect(reservedSingles).toHaveLength(16);
    for (const [value] of reservedSingles) {
      const code = parseInt((value ?? '').replace(/0x|,/g, ''), 16);
      expect(isGreaseCode(code), value).toBe(true);
      expect(suiteByCode(code), value).toBeUndefined();
    }
    expect(suiteByCode(0x0047)?.iana).toBe(false);
    expect(suiteByCode(0x005d)).toBeUndefined();
  });
});

describe('IANA TLS Supported Groups (data/tls-parameters-8.csv)', () => {
  const rows = readCsv(dataFile('tls-parameters-8.csv')).slice(1);
  const assigned = rows.filter(([value, description]) => /^\d+$/.test(value ?? '') && !/^(Unassigned|Reserved)/.test(description ?? ''));

  it('every assigned group round-trips with its name, Recommended and DTLS-OK', () => {
    expect(assigned.length).toBeGreaterThan(50);
    for (const [value, name, dtls, recommended] of assigned) {
      const group = groupById(Number(value));
      expect({ id: group?.id, name: group?.name, recommended: group?.recommended, dtlsOk: group?.dtlsOk }).toEqual({
        id: Number(value),
        name,
        recommended,
        dtlsOk: dtls === 'Y',
      });
    }
    expect(NAMED_GROUPS).toHaveLength(assigned.length);
  });
});
