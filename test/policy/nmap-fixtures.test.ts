/**
 * Every built-in policy against the recorded nmap scans (fixtures/nmap/, recorded from the servers in
 * test/adapters/nmap/scenarios.ts). nmap reports no certificate, so certificate rules never fire here.
 * Expected outcomes, reasoned from each file's suites and the policies' sources:
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNmapXml } from '../../src/adapters/nmap/index.js';
import type { TargetObservation } from '../../src/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';

function target(file: string): TargetObservation {
  const { observations } = parseNmapXml(readFileSync(`fixtures/nmap/${file}`, 'utf8'), file);
  const tls = observations.filter((o) => o.protocols.length > 0);
  if (tls.length !== 1) throw new Error(`${file}: expected one TLS target, found ${tls.length}`);
  return tls[0]!;
}

type Outcome = { status: string; fired: string[] };
function outcome(policyId: string, t: TargetObservation): Outcome {
  const v = evaluate(compilePolicy(loadPolicy(policyId)), t);
  return { status: v.status, fired: v.findings.filter((f) => f.severity !== 'info').map((f) => f.rule).sort() };
}

const EXPECTED: Record<string, Record<string, Outcome>> = {
  // TLS 1.2 only: ECDHE-RSA-AES128-GCM-SHA256 on secp256r1, preference indeterminate.
  'tls12-approved.xml': {
    dataverse: { status: 'pass', fired: [] },
    'mozilla-intermediate': { status: 'pass', fired: [] }, // one of the nine; TLS 1.3 missing is info only
    'mozilla-old': { status: 'pass', fired: [] }, // indeterminate preference is not judged
    'mozilla-modern': { status: 'fail', fired: ['only-tls13', 'tls13-required'] },
    'nist-800-52r2': { status: 'fail', fired: ['tls13-required'] },
  },
  // TLS 1.2 only: AES128-SHA256, AES128-GCM-SHA256, AES256-GCM-SHA384 (plain RSA), client order.
  'plain-rsa.xml': {
    dataverse: { status: 'fail', fired: ['approved-suite', 'plain-rsa-key-exchange'] },
    'mozilla-intermediate': { status: 'fail', fired: ['tls12-suites'] },
    'mozilla-old': { status: 'warn', fired: ['server-order'] }, // all three are among Old's 26
    'mozilla-modern': { status: 'fail', fired: ['only-tls13', 'tls13-required'] },
    'nist-800-52r2': { status: 'fail', fired: ['rsa-key-transport', 'tls13-required'] }, // all three in Appendix D
  },
  // TLS 1.0 and 1.1 only: ECDHE-RSA-AES128/256-SHA and AES128-SHA, client order.
  'tls10-11.xml': {
    dataverse: { status: 'fail', fired: ['approved-suite', 'legacy-protocols', 'plain-rsa-key-exchange', 'tls13-or-tls12'] },
    'mozilla-intermediate': { status: 'fail', fired: ['legacy-protocols'] },
    'mozilla-old': { status: 'warn', fired: ['server-order'] },
    'mozilla-modern': { status: 'fail', fired: ['only-tls13', 'tls13-required'] },
    'nist-800-52r2': {
      status: 'fail',
      fired: ['prohibited-protocols', 'rsa-key-transport', 'tls11-discouraged', 'tls12-required', 'tls13-required'],
    },
  },
  // TLS 1.3 only: the three default suites on x25519, client order.
  'tls13-only.xml': {
    dataverse: { status: 'pass', fired: [] }, // the 2024-12-02 revision accepts TLS 1.3 alone
    'mozilla-intermediate': { status: 'pass', fired: [] },
    'mozilla-old': { status: 'pass', fired: [] }, // Old's server-order rule looks at TLS 1.0-1.2 only
    'mozilla-modern': { status: 'pass', fired: [] },
    'nist-800-52r2': { status: 'fail', fired: ['approved-tls13-suites'] }, // ChaCha20; TLS 1.2 may be off with TLS 1.3 on
  },
  // TLS 1.2 ECDHE-ECDSA AES-GCM and ChaCha20 plus TLS 1.3, x25519, server order.
  'ecdsa-modern.xml': {
    dataverse: { status: 'pass', fired: [] },
    'mozilla-intermediate': { status: 'pass', fired: [] },
    'mozilla-old': { status: 'pass', fired: [] },
    'mozilla-modern': { status: 'fail', fired: ['only-tls13'] },
    'nist-800-52r2': { status: 'fail', fired: ['approved-suites', 'approved-tls13-suites'] }, // ChaCha20 on both
  },
  // TLS 1.0 (ECDHE-RSA-AES128-SHA) and TLS 1.2 (that plus two ECDHE-RSA GCM suites), client order on 1.2.
  'approved-plus-tls10.xml': {
    dataverse: { status: 'warn', fired: ['legacy-protocols'] },
    'mozilla-intermediate': { status: 'fail', fired: ['legacy-protocols', 'tls12-suites'] },
    'mozilla-old': { status: 'warn', fired: ['server-order'] },
    'mozilla-modern': { status: 'fail', fired: ['only-tls13', 'tls13-required'] },
    'nist-800-52r2': { status: 'fail', fired: ['prohibited-protocols', 'tls13-required'] },
  },
};

describe.each(Object.keys(EXPECTED))('%s', (file) => {
  const t = target(file);
  it.each(Object.keys(EXPECTED[file]!))('%s', (policy) => {
    expect(outcome(policy, t)).toEqual(EXPECTED[file]![policy]);
  });
});

describe('shape-sslv3-name-first.xml (an older nmap shape)', () => {
  it('judges the secp256k1 key exchange against Mozilla tls_curves', () => {
    const { observations } = parseNmapXml(readFileSync('fixtures/nmap/shape-sslv3-name-first.xml', 'utf8'), 'x');
    const findings = observations.flatMap((o) => evaluate(compilePolicy(loadPolicy('mozilla-intermediate')), o).findings);
    const curves = findings.find((f) => f.rule === 'tls-curves');
    expect(curves?.severity).toBe('warn');
    expect(curves?.message).toContain('secp256k1, not an allowed curve');
  });
});
