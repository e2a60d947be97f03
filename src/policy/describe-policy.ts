import { CIPHER_SUITES, suiteByCode, suiteByName, type CipherSuite } from '../registry/index.js';
import type { Policy, Rule, SuiteSelector } from './policy.js';
import { compileSelector, suiteRef } from './suite-selector.js';

/** A selector in words: "key exchange RSA", "one of 8 listed suites", "anything except ...". */
export function describeSelector(selector: SuiteSelector): string {
  const parts: string[] = [];
  if (selector.names) parts.push(`one of ${selector.names.length} listed suites`);
  if (selector.codes) parts.push(`one of the codes ${selector.codes.join(', ')}`);
  const lists: Array<[keyof SuiteSelector, string]> = [
    ['keyExchange', 'key exchange'],
    ['authentication', 'authentication'],
    ['cipher', 'cipher'],
    ['mode', 'mode'],
    ['hash', 'hash'],
    ['recommended', 'IANA recommended'],
  ];
  for (const [key, label] of lists) {
    const v = selector[key];
    if (Array.isArray(v)) parts.push(`${label} ${v.join(' or ')}`);
  }
  const flags: Array<[keyof SuiteSelector, string]> = [
    ['aead', 'AEAD'],
    ['export', 'export-grade'],
    ['anonymous', 'anonymous'],
    ['nullCipher', 'NULL cipher'],
    ['tls13', 'TLS 1.3 suite'],
  ];
  for (const [key, label] of flags) {
    const v = selector[key];
    if (typeof v === 'boolean') parts.push(v ? label : `not ${label}`);
  }
  if (selector.minCipherBits !== undefined) parts.push(`cipher key of ${selector.minCipherBits} bits or more`);
  if (selector.maxCipherBits !== undefined) parts.push(`cipher key of ${selector.maxCipherBits} bits or fewer`);
  if (selector.anyOf) parts.push(`(${selector.anyOf.map(describeSelector).join(') or (')})`);
  if (selector.not) parts.push(`anything except ${describeSelector(selector.not)}`);
  return parts.join(', ');
}

/** The registry suites a selector picks (IANA assignments only), in registry order. */
export function selectedSuites(selector: SuiteSelector): CipherSuite[] {
  const matches = compileSelector(selector);
  return CIPHER_SUITES.filter((s) => s.iana && !s.scsv && matches(suiteRef(s.hex, s.name)));
}

/** The suites a selector lists by name or code, resolved through the registry, in the policy's order. */
export function listedSuites(selector: SuiteSelector): CipherSuite[] {
  const out: CipherSuite[] = [];
  for (const n of selector.names ?? []) {
    const s = suiteByName(n);
    if (s && !out.includes(s)) out.push(s);
  }
  for (const c of selector.codes ?? []) {
    const s = suiteByCode(c);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

const scope = (protocols: readonly string[] | undefined) => (protocols ? ` with ${protocols.join(', ')}` : '');

/** What a rule checks, in one line, plus the suites it names when it names them. */
export function describeRule(rule: Rule): { checks: string; suites?: CipherSuite[] } {
  switch (rule.type) {
    case 'require-protocol':
      return { checks: `requires ${[rule.protocol, ...(rule.alternatives ?? [])].join(' or ')}` };
    case 'forbid-protocols':
      return { checks: `forbids ${rule.protocols.join(', ')}` };
    case 'require-any-suite': {
      const listed = listedSuites(rule.suites);
      return listed.length > 0 && Object.keys(rule.suites).every((k) => k === 'names' || k === 'codes')
        ? { checks: `requires at least one of these ${listed.length} suites${scope(rule.protocols)}`, suites: listed }
        : { checks: `requires a suite with ${describeSelector(rule.suites)}${scope(rule.protocols)}` };
    }
    case 'forbid-suites': {
      const only = rule.suites.not && Object.keys(rule.suites).length === 1 ? rule.suites.not : undefined;
      if (only) {
        const allowed = only.anyOf ? only.anyOf.flatMap(listedSuites) : listedSuites(only);
        if (allowed.length > 0) return { checks: `only these ${allowed.length} suites may be offered${scope(rule.protocols)}`, suites: allowed };
      }
      const listed = listedSuites(rule.suites);
      if (listed.length > 0 && Object.keys(rule.suites).every((k) => k === 'names' || k === 'codes')) {
        return { checks: `forbids these ${listed.length} suites${scope(rule.protocols)}`, suites: listed };
      }
      return { checks: `forbids suites with ${describeSelector(rule.suites)}${scope(rule.protocols)} (${selectedSuites(rule.suites).length} registry suites)` };
    }
    case 'key-exchange': {
      const parts: string[] = [];
      if (rule.minFfdhBits !== undefined) parts.push(`DH groups of ${rule.minFfdhBits} bits or more`);
      if (rule.minEcdhBits !== undefined) parts.push(`elliptic curves of ${rule.minEcdhBits} bits or more`);
      if (rule.curves) parts.push(`curves ${rule.curves.join(', ')} only`);
      return { checks: `key exchange: ${parts.join('; ')}${scope(rule.protocols)} (suites no source measured are not judged)` };
    }
    case 'certificate': {
      const parts: string[] = [];
      if (rule.keyTypes) parts.push(`key type ${rule.keyTypes.join(' or ')}`);
      if (rule.minRsaBits !== undefined) parts.push(`RSA keys of ${rule.minRsaBits} bits or more`);
      if (rule.minEcBits !== undefined) parts.push(`EC keys of ${rule.minEcBits} bits or more`);
      if (rule.expired) parts.push('not expired');
      if (rule.notYetValid) parts.push('already valid');
      if (rule.expiresWithinDays !== undefined) parts.push(`at least ${rule.expiresWithinDays} days left`);
      if (rule.trusted) parts.push('a chain to a trusted root');
      if (rule.hostnameMatches) parts.push('the name asked for');
      if (rule.completeChain) parts.push('every intermediate sent');
      if (rule.signatureAlgorithms) parts.push(`no ${rule.signatureAlgorithms.join(', ')} signatures below the root`);
      if (rule.ocspStapled) parts.push('an OCSP response stapled');
      if (rule.revoked) parts.push('not revoked');
      return { checks: `certificate: ${parts.join('; ')} (not judged when no source reported it)` };
    }
    case 'server-cipher-preference':
      return { checks: `the server's suite order must decide${scope(rule.protocols)}` };
    case 'source-marked-weak': {
      const listed = listedSuites(rule.suites);
      return { checks: `notes when a source (SSL Labs) marks one of these ${listed.length || selectedSuites(rule.suites).length} suites weak${scope(rule.protocols)}`, ...(listed.length > 0 && { suites: listed }) };
    }
  }
}

/** A policy for people: source, description and each rule with what it checks. */
export function describePolicy(policy: Policy): string {
  const lines = [`${policy.name} (${policy.id}${policy.version ? `, version ${policy.version}` : ''})`];
  if (policy.source) {
    const { title, url, date } = policy.source;
    lines.push(`Source: ${title}${date ? `, ${date}` : ''}`);
    if (url) lines.push(`        ${url}`);
  }
  if (policy.description) lines.push('', policy.description);
  lines.push('', 'Rules (FAIL: the policy is not met; WARN: met, but deprecated settings are on; INFO: noted only):');
  const width = Math.max(...policy.rules.map((r) => r.id.length));
  for (const rule of policy.rules) {
    const { checks, suites } = describeRule(rule);
    lines.push(`  ${rule.severity.toUpperCase().padEnd(4)} ${rule.id.padEnd(width)}  ${rule.title ?? rule.message}`);
    const pad = ' '.repeat(7 + width + 2);
    lines.push(`${pad}${checks}${suites ? ':' : ''}`);
    const nameWidth = Math.max(0, ...(suites ?? []).map((s) => s.name.length));
    for (const s of suites ?? []) {
      const openssl = s.openssl && s.openssl !== s.name ? `  ${s.openssl}` : '';
      lines.push(`${pad}  ${s.hex}  ${s.name.padEnd(nameWidth)}${openssl}`.trimEnd());
    }
    if (rule.rationale) lines.push(`${pad}why: ${rule.rationale}`);
  }
  return `${lines.join('\n')}\n`;
}
