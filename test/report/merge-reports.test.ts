import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/index.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { schemaValidator } from '../../src/schema/json-validator.js';
import {
  FIXED_TIME,
  SUITES,
  arbReport,
  dataversePolicy,
  observation,
  provenance,
  protocol,
  report,
  strictModernPolicy,
} from '../helpers/report-factory.js';

const merge = (reports: Report[]) => mergeReports(reports, [dataversePolicy()], { generatedAt: FIXED_TIME });

describe('mergeReports', () => {
  it('joins a name given to nmap and the same name assessed by SSL Labs on their address', () => {
    const nmap = report([observation('mail.example.org', { address: '192.0.2.10', source: 'nmap', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsaAes128Gcm] } })]);
    const labs = report([observation('mail.example.org', { address: '192.0.2.10', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]);
    const merged = merge([nmap, labs]);
    expect(merged.targets).toHaveLength(1);
    const [t] = merged.targets;
    expect(t!.sources).toEqual(['nmap', 'ssllabs']);
    expect(t!.runs.map((r) => r.source)).toEqual(['nmap', 'ssllabs']);
    const tls12 = t!.protocols.find((p) => p.version === 'TLSv1.2')!;
    expect(tls12.evidence.map((e) => e.source)).toEqual(['nmap', 'ssllabs']);
    expect(tls12.ciphers.find((c) => c.code === SUITES.ecdheRsaAes128Gcm)!.evidence.map((e) => e.source)).toEqual(['nmap', 'ssllabs']);
    expect(tls12.ciphers.find((c) => c.code === SUITES.rsaAes128Gcm)!.evidence.map((e) => e.source)).toEqual(['nmap']);
    expect(t!.disagreements!.map((d) => d.message)).toEqual([
      'nmap saw TLSv1.0 enabled; ssllabs did not.',
      'nmap saw 1 suite with TLSv1.2 that ssllabs did not: TLS_RSA_WITH_AES_128_GCM_SHA256.',
    ]);
    // Disagreements are info findings of the re-evaluated verdict; the status stays the policy's.
    expect(t!.verdict.status).toBe('warn');
    expect(t!.verdict.findings.filter((f) => f.rule === 'source-disagreement')).toHaveLength(2);
    expect(t!.verdict.findings.every((f) => f.rule !== 'source-disagreement' || f.severity === 'info')).toBe(true);
  });

  it('joins a nmap target known only by address with the named one, keeping the name', () => {
    const merged = merge([
      report([observation('192.0.2.10', { source: 'nmap', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]),
      report([observation('mail.example.org', { address: '192.0.2.10', source: 'probe', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]),
    ]);
    expect(merged.targets.map((t) => [t.host, t.address, t.port])).toEqual([['mail.example.org', '192.0.2.10', 443]]);
    expect(merged.targets[0]!.disagreements).toBeUndefined();
  });

  it('keeps round-robin endpoints of one name apart, and a failed name-only assessment apart from both', () => {
    const merged = merge([
      report([
        observation('www.example.org', { address: '192.0.2.20', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
        observation('www.example.org', { address: '192.0.2.21', source: 'ssllabs', protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } }),
      ]),
      report([observation('www.example.org', { source: 'probe', error: 'Connection timed out.' })]),
    ]);
    expect(merged.targets.map((t) => t.address ?? '-')).toEqual(['-', '192.0.2.20', '192.0.2.21']);
  });

  it('keeps SNI virtual hosts on one address apart, and a target known only by that address apart too', () => {
    const merged = merge([
      report([
        observation('3des.example.com', { address: '192.0.2.30', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.rsaAes128CbcSha] } }),
        observation('modern.example.com', { address: '192.0.2.30', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
      ]),
      report([
        observation('192.0.2.30', { source: 'nmap', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
        observation('modern.example.com', { address: '192.0.2.30', source: 'probe', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
      ]),
    ]);
    const seen = merged.targets.map((t) => [t.host, t.sources.join('+'), t.verdict.status]);
    expect(seen.sort()).toEqual([
      ['192.0.2.30', 'nmap', 'pass'],
      ['3des.example.com', 'ssllabs', 'fail'],
      ['modern.example.com', 'ssllabs+probe', 'pass'],
    ]);
  });

  it('joins a name-only target with the single address its name has', () => {
    const merged = merge([
      report([observation('vpn.example.net', { address: '198.51.100.7', source: 'nmap', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]),
      report([observation('vpn.example.net', { source: 'ssllabs', error: 'Unable to resolve domain name.' })]),
    ]);
    expect(merged.targets).toHaveLength(1);
    const [t] = merged.targets;
    expect(t!.error).toBeUndefined();
    expect(t!.verdict.status).toBe('pass');
    expect(t!.runs.map((r) => [r.source, r.error])).toEqual([['nmap', undefined], ['ssllabs', 'Unable to resolve domain name.']]);
    // A source that could not assess the target does not disagree with the one that could.
    expect(t!.disagreements).toBeUndefined();
  });

  it('keeps the target an error only when no source assessed it', () => {
    const merged = merge([
      report([observation('10.0.0.5', { source: 'ssllabs', error: 'SSL Labs cannot reach private addresses.' })]),
      report([observation('10.0.0.5', { source: 'probe', error: 'Connection refused.' })]),
    ]);
    expect(merged.targets[0]!.error).toBe('Connection refused.; SSL Labs cannot reach private addresses.');
    expect(merged.targets[0]!.verdict.status).toBe('error');
    expect(merged.summary).toEqual({ pass: 0, warn: 0, fail: 0, error: 1 });
  });

  it('keeps the server preference order of the first source and deduplicates the same evidence', () => {
    const a = observation('h', { address: '192.0.2.1', source: 'nmap', preference: 'server', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes256Gcm, SUITES.rsaAes128Gcm, SUITES.ecdheRsaAes128Gcm] } });
    const b = observation('h', { address: '192.0.2.1', source: 'ssllabs', preference: 'server', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.ecdheEcdsaAes128Gcm] } });
    const merged = merge([report([b]), report([a]), report([a])]);
    const tls12 = merged.targets[0]!.protocols[0]!;
    expect(tls12.cipherPreference).toBe('server');
    expect(tls12.ciphers.map((c) => c.code)).toEqual([SUITES.ecdheRsaAes256Gcm, SUITES.rsaAes128Gcm, SUITES.ecdheRsaAes128Gcm, SUITES.ecdheEcdsaAes128Gcm]);
    expect(tls12.ciphers[2]!.evidence).toEqual([provenance('nmap'), provenance('ssllabs')]);
  });

  it('re-evaluates with the chosen policy and validates against the report schema', () => {
    const r = report([observation('a.example', { protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } })]);
    expect(r.targets[0]!.verdict.status).toBe('fail');
    const merged = mergeReports([r], [dataversePolicy()], { strict: true, generatedAt: FIXED_TIME });
    expect(merged.strict).toBe(true);
    const validate = schemaValidator('report');
    expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('unions notices and protocol details', () => {
    const p1 = provenance('nmap');
    const p2 = provenance('nmap', { observedAt: '2026-02-01T00:00:00Z', origin: 'later.xml' });
    const a = { ...observation('h', { address: '192.0.2.1' }), protocols: [protocol('TLSv1.2', [SUITES.ecdheRsaAes128Gcm], [p1], { warnings: ['b warning'], leastStrength: 'A' })] };
    const b = { ...observation('h', { address: '192.0.2.1', provenance: p2 }), protocols: [protocol('TLSv1.2', [SUITES.ecdheRsaAes128Gcm], [p2], { warnings: ['a warning'], leastStrength: 'C' })] };
    const merged = merge([{ ...report([a]), notices: ['cut off'] }, report([b])]);
    const p = merged.targets[0]!.protocols[0]!;
    expect(p.warnings).toEqual(['a warning', 'b warning']);
    expect(p.leastStrength).toBe('C');
    expect(p.evidence).toEqual([p1, p2]);
    expect(merged.notices).toEqual(['cut off']);
    // Two nmap runs are one source: no disagreement between them.
    expect(merged.targets[0]!.disagreements).toBeUndefined();
  });
});

describe('mergeReports on the fixtures', () => {
  it('leaves a merged report unchanged when it is merged with itself', () => {
    const merged = JSON.parse(readFileSync(new URL('../../fixtures/reports/merged-two-policies.json', import.meta.url), 'utf8')) as Report;
    const again = mergeReports([merged, merged], [dataversePolicy(), strictModernPolicy()], { generatedAt: new Date('2030-01-01T00:00:00Z') });
    expect({ ...again, generatedAt: merged.generatedAt }).toStrictEqual(merged);
  });
});

describe('mergeReports properties', () => {
  const strip = (r: Report) => ({ ...r, generatedAt: undefined });

  it('is idempotent: a report merged with itself is the report merged alone, and merging is a projection', () => {
    fc.assert(
      fc.property(arbReport, (r) => {
        const once = merge([r]);
        expect(strip(merge([r, r]))).toStrictEqual(strip(once));
        expect(strip(merge([once, once]))).toStrictEqual(strip(once));
        expect(strip(merge([once]))).toStrictEqual(strip(once));
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(fc.array(arbReport, { minLength: 1, maxLength: 4 }), fc.nat(), (reports, seed) => {
        const shuffled = [...reports].map((r, i) => ({ r, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((e) => e.r);
        const reversedTargets = reports.map((r) => ({ ...r, targets: [...r.targets].reverse() }));
        const expected = strip(merge(reports));
        expect(strip(merge(shuffled))).toStrictEqual(expected);
        expect(strip(merge([...reports].reverse()))).toStrictEqual(expected);
        expect(strip(merge(reversedTargets))).toStrictEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('always writes a report the schema accepts, with a summary that counts its targets', () => {
    const validate = schemaValidator('report');
    fc.assert(
      fc.property(fc.array(arbReport, { maxLength: 3 }), (reports) => {
        const merged = merge(reports);
        expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
        const total = Object.values(merged.summary).reduce((a, b) => a + b, 0);
        expect(total).toBe(merged.targets.length);
      }),
      { numRuns: 100 },
    );
  });
});
