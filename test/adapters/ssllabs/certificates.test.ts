/**
 * SSL Labs' certificate data and issue flags, from the real responses in fixtures/ssllabs, mapped to the
 * certificate model and judged by the certificates policy. Dates are judged at the assessment's testTime.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SslLabsHost } from '../../../src/adapters/ssllabs/index.js';
import { normaliseSslLabsHost } from '../../../src/adapters/ssllabs/normalise-host.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';

const FIXTURES = new URL('../../../fixtures/ssllabs/', import.meta.url);

function host(file: string): SslLabsHost {
  const data = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as SslLabsHost[];
  return data[0]!;
}

function judge(target: TargetObservation) {
  const v = evaluate(compilePolicy(loadPolicy('certificates')), target);
  return { status: v.status, fired: v.findings.filter((f) => f.severity !== 'info').map((f) => f.rule).sort(), findings: v.findings };
}

describe('SSL Labs certificate chains', () => {
  const badssl = normaliseSslLabsHost(host('defectdojo-3des-badssl-v3.json'), { origin: 'defectdojo-3des-badssl-v3.json' })[0]!;

  it('maps the SNI chain as sent with SSL Labs provenance, dates judged at testTime', () => {
    const sni = badssl.certificates!.find((c) => c.serverName !== undefined)!;
    expect(sni).toMatchObject({
      source: 'ssllabs',
      observedAt: '2021-10-14T22:35:08.125Z',
      checkedAt: '2021-10-14T22:35:08.125Z',
      serverName: '3des.badssl.com',
      trusted: true,
      trustStore: 'Mozilla',
      hostnameChecked: '3des.badssl.com',
      hostnameMatches: true,
      chainComplete: true,
      chainInOrder: true,
      // The leaf's notAfter is 2022-05-17: valid at the assessment, whatever today is.
      expired: false,
      notYetValid: false,
      daysLeft: 214,
      ocspStapled: false,
      revoked: false,
    });
    expect(sni.chain.map((c) => c.subject?.split(',')[0])).toEqual(['CN=*.badssl.com', 'CN=DigiCert SHA2 Secure Server CA']);
    expect(sni.chain[0]).toMatchObject({
      subjectAltNames: ['DNS:*.badssl.com', 'DNS:badssl.com'],
      serialNumber: '0AF06CDA37A60B641342F0A1EB1D59FD',
      keyType: 'RSA',
      keyBits: 2048,
      signatureAlgorithm: 'SHA256withRSA',
      selfSigned: false,
      notAfter: '2022-05-17T12:00:00.000Z',
    });
    expect(sni.chain[0]!.fingerprintSha256).toMatch(/^90:94:C2:BD:/);
  });

  it('judges the SNI chain and passes; the no-SNI fallback chain is kept but not judged', () => {
    expect(badssl.certificates).toHaveLength(2);
    expect(judge(badssl)).toMatchObject({ status: 'pass', fired: [] });
  });

  it('maps the fallback chain\'s flags: untrusted, name mismatch, incomplete, expired', () => {
    const fallback = badssl.certificates!.find((c) => c.serverName === undefined)!;
    expect(fallback).toMatchObject({ trusted: false, trustError: 'path does not chain to a trusted anchor', hostnameMatches: false, chainComplete: false, expired: true });
    // Judged alone (a server whose only chain is that one), it fails on each.
    const alone: TargetObservation = { ...badssl, certificates: [fallback] };
    expect(judge(alone)).toMatchObject({
      status: 'fail',
      fired: ['certificate-chain-complete', 'certificate-expired', 'certificate-name', 'certificate-trusted'],
    });
  });

  it('a revoked leaf (revocationStatus 1) fails', () => {
    const h = host('defectdojo-ok-mevitae-v3.json');
    const leafId = h.endpoints![0]!.details!.certChains![0]!.certIds![0];
    const revoked: SslLabsHost = { ...h, certs: h.certs!.map((c) => (c.id === leafId ? { ...c, revocationStatus: 1 } : c)) };
    const t = normaliseSslLabsHost(revoked)[0]!;
    expect(t.certificates![0]!.revoked).toBe(true);
    expect(judge(t)).toMatchObject({ status: 'fail', fired: ['certificate-revoked'] });
    expect(judge(normaliseSslLabsHost(h)[0]!)).toMatchObject({ status: 'pass', fired: [] });
  });

  it('a source without chains leaves the checks unknown: info findings, never a violation', () => {
    const bare: TargetObservation = { ...badssl, certificates: undefined };
    delete bare.certificates;
    const v = judge(bare);
    expect(v.status).toBe('pass');
    expect(v.findings.every((f) => f.severity === 'info')).toBe(true);
    expect(v.findings.map((f) => f.message).join(' ')).toMatch(/trust/);
  });
});
