/**
 * Writes fixtures/reports/*.json, the fixed input reports of the golden tests, from the model factories.
 * Run with `npx tsx test/golden/build-fixtures.ts`; the golden outputs then follow with UPDATE_GOLDEN=1.
 */
import { writeFileSync } from 'node:fs';
import type { Report } from '../../src/model/index.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { SUITES, dataversePolicy, observation, provenance, report, strictModernPolicy, FIXED_TIME } from '../helpers/report-factory.js';

const nmapAt = provenance('nmap', { observedAt: '2026-01-10T08:00:00Z', origin: 'internal-sweep.xml' });
const nmapLater = provenance('nmap', { observedAt: '2026-04-10T08:00:00Z', origin: 'internal-sweep-q2.xml' });
const labsAt = provenance('ssllabs', { observedAt: '2026-01-11T10:15:00Z', origin: 'https://api.ssllabs.com/api/v4/' });

const S = SUITES;

function nmapInternal(prov = nmapAt, later = false): Report {
  const r = report([
    observation('mail.example.org', {
      address: '192.0.2.10',
      port: 443,
      service: 'https',
      provenance: prov,
      preference: 'server',
      protocols: {
        'TLSv1.0': [S.ecdheRsaAes128CbcSha, S.rsaAes128CbcSha],
        'TLSv1.2': later
          ? [S.ecdheRsaAes256Gcm, S.ecdheRsaAes128Gcm, S.rsaAes128Gcm, S.rsa3des]
          : [S.ecdheRsaAes256Gcm, S.ecdheRsaAes128Gcm, S.ecdheRsaAes128CbcSha256, S.rsaAes128Gcm],
      },
      certificate: { subject: 'CN=mail.example.org', issuer: 'CN=Example Issuing CA 1', notAfter: '2026-09-30T23:59:59Z', keyType: 'RSA', keyBits: 2048 },
    }),
    observation('mail.example.org', {
      address: '192.0.2.10',
      port: 25,
      service: 'smtp',
      starttls: 'smtp',
      provenance: prov,
      protocols: later ? { 'TLSv1.2': [S.ecdheRsaAes128Gcm] } : { 'TLSv1.1': [S.rsaAes128CbcSha], 'TLSv1.2': [S.ecdheRsaAes128Gcm] },
    }),
    observation('legacy.example.net', {
      address: '198.51.100.23',
      provenance: prov,
      protocols: { 'TLSv1.0': [S.rsaAes128CbcSha, S.rsa3des], 'TLSv1.1': [S.rsaAes128CbcSha] },
    }),
    observation('10.0.0.5', { port: 8443, provenance: prov, error: later ? 'Connection timed out.' : 'Connection refused.' }),
    observation('<img src=x onerror=alert(1)>', {
      address: '203.0.113.66',
      provenance: prov,
      // ChaCha20 alone: TLS 1.3 without either suite Dataverse lists, a fail under both revisions.
      protocols: { 'TLSv1.3': [S.tls13Chacha] },
    }),
    later
      ? observation('intranet.example.org', {
          address: '198.51.100.40',
          provenance: prov,
          protocols: { 'TLSv1.1': [S.rsaAes128CbcSha] },
        })
      : observation('=HYPERLINK("http://evil.example","x")', {
          address: '203.0.113.67',
          provenance: prov,
          protocols: { 'TLSv1.2': [S.ecdheRsaAes128Gcm] },
        }),
  ]);
  return later ? { ...r, generatedAt: '2026-04-15T09:30:00.000Z' } : r;
}

function sslLabsPublic(): Report {
  return report([
    observation('mail.example.org', {
      address: '192.0.2.10',
      provenance: labsAt,
      preference: 'server',
      protocols: { 'TLSv1.2': [S.ecdheRsaAes256Gcm, S.ecdheRsaAes128Gcm, S.rsaAes128Gcm], 'TLSv1.3': [S.tls13Aes256Gcm, S.tls13Aes128Gcm] },
      runs: [{ ...labsAt, grade: 'B' }],
    }),
    observation('www.example.org', {
      address: '192.0.2.20',
      provenance: labsAt,
      protocols: { 'TLSv1.2': [S.ecdheEcdsaAes128Gcm], 'TLSv1.3': [S.tls13Aes128Gcm, S.tls13Aes256Gcm, S.tls13Chacha] },
      runs: [{ ...labsAt, grade: 'A+' }],
    }),
  ]);
}

const dir = new URL('../../fixtures/reports/', import.meta.url);
const write = (name: string, r: Report) => writeFileSync(new URL(name, dir), `${JSON.stringify(r, null, 2)}\n`);
const internal = nmapInternal();
const publicReport = sslLabsPublic();
write('nmap-internal.json', internal);
write('nmap-internal-q2.json', nmapInternal(nmapLater, true));
write('ssllabs-public.json', publicReport);
write(
  'merged-two-policies.json',
  mergeReports([internal, publicReport], [dataversePolicy(), strictModernPolicy()], { generatedAt: FIXED_TIME }),
);
write('empty.json', report([]));
