/**
 * The mozilla-* policies against Mozilla's own machine-readable guideline (fixtures/policies/
 * mozilla-guidelines-5.7.json, a copy of ssl-config.mozilla.org/guidelines/5.7.json): every list and
 * size in the policy must be the guideline's, and the guideline's OpenSSL names must map through the
 * registry to the same suites as its IANA names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSIONS, parseProtocolVersion } from '../../src/model/index.js';
import type { KeyExchangeRule, CertificateRule, Policy, Rule } from '../../src/policy/index.js';
import { loadPolicy } from '../../src/policy/index.js';
import { groupByName, suiteByName } from '../../src/registry/index.js';

interface Configuration {
  ciphers: { iana: string[]; openssl: string[] };
  ciphersuites: string[];
  tls_versions: string[];
  tls_curves: string[];
  dh_param_size: number | null;
  ecdh_param_size: number;
  rsa_key_size: number | null;
  certificate_types: string[];
  server_preferred_order: boolean;
}
const guideline = JSON.parse(readFileSync('fixtures/policies/mozilla-guidelines-5.7.json', 'utf8')) as {
  version: number;
  configurations: Record<'modern' | 'intermediate' | 'old', Configuration>;
};

const codes = (names: readonly string[]) =>
  names.map((n) => {
    const s = suiteByName(n);
    if (!s) throw new Error(`${n} is not in the registry`);
    return s.hex;
  }).sort();

function rule<T extends Rule>(policy: Policy, id: string): T {
  const r = policy.rules.find((x) => x.id === id);
  if (!r) throw new Error(`${policy.id} has no rule ${id}`);
  return r as T;
}

describe.each(['modern', 'intermediate', 'old'] as const)('mozilla-%s follows guidelines 5.7', (name) => {
  const config = guideline.configurations[name];
  const policy = loadPolicy(`mozilla-${name}`);

  it('cites version 5.7', () => {
    expect(guideline.version).toBe(5.7);
    expect(policy.version).toBe('5.7');
    expect(policy.source?.url).toBe('https://ssl-config.mozilla.org/guidelines/5.7.json');
  });

  it('forbids exactly the protocol versions the guideline leaves out', () => {
    const allowed = config.tls_versions.map((v) => parseProtocolVersion(v));
    const forbidden = policy.rules
      .filter((r) => r.type === 'forbid-protocols' && r.severity === 'fail')
      .flatMap((r) => (r.type === 'forbid-protocols' ? r.protocols : []));
    expect(forbidden.sort()).toEqual(PROTOCOL_VERSIONS.filter((v) => !allowed.includes(v)).sort());
  });

  it("allows exactly the guideline's suites, and its OpenSSL names are the same suites", () => {
    const ianaCodes = codes(config.ciphers.iana);
    // Every OpenSSL name the registry knows maps to one of the IANA-listed suites (the two lists are
    // one list in two spellings); the registry may lack names its OpenSSL build does not implement.
    for (const n of config.ciphers.openssl) {
      const s = suiteByName(n);
      if (s) expect(ianaCodes, n).toContain(s.hex);
    }
    expect(config.ciphers.openssl).toHaveLength(config.ciphers.iana.length);
    const before13 = policy.rules.find((r) => r.type === 'forbid-suites' && !r.protocols?.includes('TLSv1.3'));
    if (ianaCodes.length === 0) {
      expect(before13).toBeUndefined();
    } else {
      expect(before13?.type === 'forbid-suites' && codes(before13.suites.not?.names ?? [])).toEqual(ianaCodes);
    }
    const tls13 = rule(policy, 'tls13-suites');
    expect(tls13.type === 'forbid-suites' && codes(tls13.suites.not?.names ?? [])).toEqual(codes(config.ciphersuites));
  });

  it('takes its key exchange and certificate sizes from the guideline', () => {
    expect(rule<KeyExchangeRule>(policy, 'ecdh-size').minEcdhBits).toBe(config.ecdh_param_size);
    if (config.dh_param_size === null) expect(policy.rules.some((r) => r.id === 'dh-size')).toBe(false);
    else expect(rule<KeyExchangeRule>(policy, 'dh-size').minFfdhBits).toBe(config.dh_param_size);
    const curves = rule<KeyExchangeRule>(policy, 'tls-curves').curves ?? [];
    expect(curves.map((c) => groupByName(c)?.name).sort()).toEqual(config.tls_curves.map((c) => groupByName(c)?.name).sort());
    expect(rule<CertificateRule>(policy, 'certificate-type').keyTypes?.sort()).toEqual([...config.certificate_types].sort());
    if (config.rsa_key_size === null) expect(policy.rules.some((r) => r.id === 'rsa-key-size')).toBe(false);
    else expect(rule<CertificateRule>(policy, 'rsa-key-size').minRsaBits).toBe(config.rsa_key_size);
    expect(policy.rules.some((r) => r.type === 'server-cipher-preference')).toBe(config.server_preferred_order);
  });
});
