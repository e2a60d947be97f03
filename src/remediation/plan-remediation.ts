import { PROTOCOL_VERSIONS, compareProtocolVersions, type ProtocolVersion } from '../model/protocol-version.js';
import type { TargetObservation } from '../model/target.js';
import type { Finding } from '../model/verdict.js';
import { judgeCertificates, CERTIFICATE_FIXES, type CertificateFix } from '../policy/certificate-evidence.js';
import { normaliseKeyType } from '../policy/certificate-key.js';
import { compilePolicy, type CompiledPolicy, type CompiledRule } from '../policy/compile-policy.js';
import { evaluate } from '../policy/evaluate.js';
import type { Policy } from '../policy/policy.js';
import { suiteRef } from '../policy/suite-selector.js';
import { CIPHER_SUITES, groupByName, suiteByCode, type CipherSuite } from '../registry/index.js';

export type ChangeKind = 'protocols' | 'suites' | 'keyExchange' | 'certificate' | 'preference';

const CHANGE_OF_RULE = {
  'require-protocol': 'protocols',
  'forbid-protocols': 'protocols',
  'require-any-suite': 'suites',
  'forbid-suites': 'suites',
  'key-exchange': 'keyExchange',
  certificate: 'certificate',
  'server-cipher-preference': 'preference',
  // Only ever a note (info): nothing to change.
  'source-marked-weak': 'suites',
} as const satisfies Record<Policy['rules'][number]['type'], ChangeKind>;

/** A suite as the plan names it: the registry entry when known, else the observed code and name. */
export interface PlannedSuite {
  code: string;
  name: string;
  openssl?: string;
  /** The OpenSSL name is from OpenSSL's manual: builds without the suite (3DES, RC4, ...) do not know it. */
  opensslFromManual?: true;
  tls13: boolean;
}

/**
 * What has to change on one target to meet one policy, independent of the server software: the
 * protocols and suites to switch off and on, and what else the findings ask for. The per-server
 * generators turn it into configuration.
 */
export interface RemediationPlan {
  policy: string;
  /** The findings (fail and warn) this plan answers. */
  findings: Finding[];
  /** Which fired rules each kind of change answers. */
  rules: Record<ChangeKind, string[]>;
  /** Offered protocol versions the policy forbids. */
  disableProtocols: ProtocolVersion[];
  /** Protocol versions the policy requires that are not offered. */
  enableProtocols: ProtocolVersion[];
  /** The protocol versions to leave enabled, ascending. */
  protocols: ProtocolVersion[];
  /** Offered suites a rule forbids, with the rules that forbid them. */
  disableSuites: Array<PlannedSuite & { rules: string[] }>;
  /** Suites to turn on because a require-any-suite rule found none offered (the approved ones). */
  enableSuites: PlannedSuite[];
  /**
   * The whole suite list to configure for TLS 1.2 and older, in order: the offered suites that stay,
   * in the server's order, then the ones to enable. Empty when no protocol below TLS 1.3 stays.
   */
  suites: PlannedSuite[];
  /** The TLS 1.3 suites to configure, when a TLS 1.3 suite has to go; otherwise undefined (leave defaults). */
  tls13Suites?: PlannedSuite[];
  /** Key exchange: a finite-field group size to configure, and the curves to allow, when a rule asks. */
  minFfdhBits?: number;
  curves?: string[];
  /** The server should choose the suite (its order first). */
  serverPreference: boolean;
  /** The certificate must be replaced: why. */
  certificate?: string[];
  /** What the certificate findings need, each with the rules that asked. */
  certificateFixes?: Array<{ fix: CertificateFix; rules: string[] }>;
}

const toPlanned = (s: CipherSuite): PlannedSuite => ({
  code: s.hex,
  name: s.name,
  ...(s.openssl !== undefined && { openssl: s.openssl }),
  ...(s.opensslFromManual && { opensslFromManual: true as const }),
  tls13: s.tls13,
});

function planned(code: string, name: string): PlannedSuite {
  const s = suiteByCode(code);
  return s ? toPlanned(s) : { code, name, tls13: false };
}

/**
 * Suites worth proposing at all, whatever a policy permits: forward-secret or RSA key exchange with AES
 * or ChaCha20, authenticated by RSA or ECDSA. A policy that only forbids plain RSA (Dataverse) would
 * otherwise "permit" anonymous or NULL suites, which no one should be told to enable.
 */
function sensible(s: CipherSuite): boolean {
  if (!s.iana || s.scsv || s.export || s.anonymous || s.nullCipher) return false;
  if (s.tls13) return s.cipher === 'AES' || s.cipher === 'CHACHA20';
  return (
    ['ECDHE', 'DHE', 'RSA'].includes(s.keyExchange) &&
    ['RSA', 'ECDSA'].includes(s.authentication) &&
    (s.cipher === 'AES' || s.cipher === 'CHACHA20') &&
    ['GCM', 'CBC', 'CCM', 'POLY1305'].includes(s.mode ?? '')
  );
}

/** Strongest first: forward secrecy, then AEAD, then ECDHE over DHE, then registry order. */
function preference(a: CipherSuite, b: CipherSuite): number {
  const score = (s: CipherSuite) => (s.keyExchange === 'RSA' ? 0 : 4) + (s.aead ? 2 : 0) + (s.keyExchange === 'ECDHE' ? 1 : 0);
  return score(b) - score(a);
}

function forbidRules(policy: CompiledPolicy): CompiledRule[] {
  return policy.rules.filter((r) => r.rule.type === 'forbid-suites' && r.rule.severity !== 'info');
}

/** The ids of the policy's rules that forbid this suite with this protocol. */
function forbiddenBy(policy: CompiledPolicy, suite: CipherSuite, protocol: ProtocolVersion): string[] {
  const ref = suiteRef(suite.hex, suite.name);
  return forbidRules(policy)
    .filter((r) => r.rule.type === 'forbid-suites' && (r.rule.protocols === undefined || r.rule.protocols.includes(protocol)) && r.matches!(ref))
    .map((r) => r.rule.id);
}

/** Would the policy's suite rules let this suite be offered with this protocol? */
function permitted(policy: CompiledPolicy, suite: CipherSuite, protocol: ProtocolVersion): boolean {
  return forbiddenBy(policy, suite, protocol).length === 0;
}

/**
 * The certificates decide which authentication a suite can use (a dual RSA + ECDSA server both); an
 * unknown key type admits both.
 */
function authenticates(target: TargetObservation, suite: CipherSuite): boolean {
  if (suite.tls13) return true;
  const chains = target.certificates ?? [];
  const keys = chains.length > 0 ? chains.map((c) => normaliseKeyType(c.chain[0]?.keyType)) : [normaliseKeyType(target.certificate?.keyType)];
  if (keys.some((k) => k !== 'rsa' && k !== 'ecdsa')) return true;
  return (keys.includes('rsa') && suite.authentication === 'RSA') || (keys.includes('ecdsa') && suite.authentication === 'ECDSA');
}

export function planRemediation(target: TargetObservation, policy: Policy | CompiledPolicy): RemediationPlan {
  const compiled = 'policy' in policy ? policy : compilePolicy(policy);
  const verdict = evaluate(compiled, target);
  const fired = new Map(verdict.findings.filter((f) => f.severity !== 'info').map((f) => [f.rule, f]));
  const firedRules = compiled.rules.filter((r) => fired.has(r.rule.id));

  const offered = target.protocols.map((p) => p.version);
  const disableProtocols = new Set<ProtocolVersion>();
  const enableProtocols = new Set<ProtocolVersion>();
  for (const { rule } of firedRules) {
    if (rule.type === 'forbid-protocols') for (const v of rule.protocols) if (offered.includes(v)) disableProtocols.add(v);
    if (rule.type === 'require-protocol') enableProtocols.add(rule.protocol);
  }
  // A suite required with some protocols ("TLS 1.3 or TLS 1.2", Dataverse since 2024) when none of them
  // stays on: turn on the oldest of them the policy does not forbid, the one every server can speak.
  const forbidden = new Set(compiled.rules.flatMap(({ rule }) => (rule.type === 'forbid-protocols' ? rule.protocols : [])));
  for (const { rule } of firedRules) {
    if (rule.type !== 'require-any-suite' || !rule.protocols) continue;
    if (rule.protocols.some((v) => (offered.includes(v) && !disableProtocols.has(v)) || enableProtocols.has(v))) continue;
    const oldest = PROTOCOL_VERSIONS.find((v) => rule.protocols!.includes(v) && !forbidden.has(v));
    if (oldest) enableProtocols.add(oldest);
  }
  const protocols = PROTOCOL_VERSIONS.filter((v) => (offered.includes(v) && !disableProtocols.has(v)) || enableProtocols.has(v));
  // Turning off every version the server speaks would leave it no TLS at all (and `ssl_protocols ;` is no
  // configuration): keep the oldest version from TLS 1.2 on that the policy does not forbid.
  if (protocols.length === 0) {
    const keep = PROTOCOL_VERSIONS.find((v) => compareProtocolVersions(v, 'TLSv1.2') >= 0 && !forbidden.has(v));
    if (keep) protocols.push(keep);
  }
  const below13 = protocols.filter((v) => compareProtocolVersions(v, 'TLSv1.3') < 0);

  // Offered suites a fired forbid-suites rule names (only on the protocols the rule looks at). A weak
  // key exchange is fixed by configuring the group, not by dropping the suite, so it is not here.
  const observedNames = new Map(target.protocols.flatMap((p) => p.ciphers.map((c) => [c.code, c.name] as const)));
  const disable = new Map<string, PlannedSuite & { rules: string[] }>();
  for (const { rule } of firedRules) {
    if (rule.type !== 'forbid-suites') continue;
    for (const code of fired.get(rule.id)?.evidence?.ciphers ?? []) {
      const entry = disable.get(code) ?? { ...planned(code, observedNames.get(code) ?? code), rules: [] };
      entry.rules.push(rule.id);
      disable.set(code, entry);
    }
  }

  // What stays: the offered suites of the protocols that stay, in the server's order, minus the forbidden.
  const keep = new Map<string, PlannedSuite>();
  const keep13 = new Map<string, PlannedSuite>();
  // One cipher list serves every version below TLS 1.3 (ssl_ciphers, SSLCipherSuite), so a suite stays
  // only if the policy permits it with each of them.
  for (const p of target.protocols) {
    if (!protocols.includes(p.version)) continue;
    for (const c of p.ciphers) {
      if (disable.has(c.code)) continue;
      const s = planned(c.code, c.name);
      if (p.version === 'TLSv1.3') {
        keep13.set(c.code, s);
        continue;
      }
      const known = suiteByCode(c.code);
      const blocking = known ? below13.flatMap((v) => forbiddenBy(compiled, known, v)) : [];
      if (blocking.length > 0) {
        disable.set(c.code, { ...s, rules: [...new Set(blocking)] });
        continue;
      }
      keep.set(c.code, s);
    }
  }

  // The approved suites a require-any-suite rule wants, when none is offered.
  const enable = new Map<string, PlannedSuite>();
  for (const { rule, matches } of firedRules) {
    if (rule.type !== 'require-any-suite') continue;
    // Suites for the protocols that stay on: a TLS 1.3 suite is no help to a server left on TLS 1.2.
    const inPlay = (rule.protocols ?? protocols).filter((v) => protocols.includes(v));
    const scope = inPlay.length > 0 ? inPlay : (rule.protocols ?? protocols);
    const candidates = CIPHER_SUITES.filter(
      (s) => s.iana && matches!(suiteRef(s.hex, s.name)) && scope.some((v) => (s.tls13 ? v === 'TLSv1.3' : v !== 'TLSv1.3') && permitted(compiled, s, v)),
    );
    const usable = candidates.filter((s) => authenticates(target, s));
    for (const s of (usable.length > 0 ? usable : candidates).sort(preference)) enable.set(s.hex, toPlanned(s));
  }

  // A protocol that stays must keep at least one suite; propose the policy's permitted ones if none is left.
  if (below13.length > 0 && keep.size === 0 && [...enable.values()].every((s) => s.tls13)) {
    const fill = CIPHER_SUITES.filter(
      (s) => !s.tls13 && sensible(s) && authenticates(target, s) && below13.every((v) => permitted(compiled, s, v)),
    ).sort(preference);
    for (const s of fill) enable.set(s.hex, toPlanned(s));
  }
  const needs13 = protocols.includes('TLSv1.3');
  let tls13Suites: PlannedSuite[] | undefined;
  const enable13 = [...enable.values()].filter((s) => s.tls13 && !keep13.has(s.code));
  if ([...disable.values()].some((s) => s.tls13) || (needs13 && enableProtocols.has('TLSv1.3')) || (needs13 && enable13.length > 0)) {
    // An approved TLS 1.3 suite the policy asks for joins the ones that stay.
    tls13Suites = [...keep13.values(), ...(needs13 ? enable13 : [])];
    if (tls13Suites.length === 0) {
      tls13Suites = CIPHER_SUITES.filter((s) => s.tls13 && sensible(s) && permitted(compiled, s, 'TLSv1.3')).map(toPlanned);
    }
  }

  const plan: RemediationPlan = {
    policy: compiled.policy.id,
    findings: [...fired.values()],
    rules: { protocols: [], suites: [], keyExchange: [], certificate: [], preference: [] },
    disableProtocols: PROTOCOL_VERSIONS.filter((v) => disableProtocols.has(v)),
    enableProtocols: PROTOCOL_VERSIONS.filter((v) => enableProtocols.has(v)),
    protocols,
    disableSuites: [...disable.values()],
    enableSuites: [...enable.values()].filter((s) => !keep.has(s.code)),
    suites: below13.length > 0 ? [...keep.values(), ...[...enable.values()].filter((s) => !s.tls13 && !keep.has(s.code))] : [],
    serverPreference: firedRules.some((r) => r.rule.type === 'server-cipher-preference'),
  };
  if (tls13Suites) plan.tls13Suites = tls13Suites;
  for (const { rule } of firedRules) plan.rules[CHANGE_OF_RULE[rule.type]].push(rule.id);

  for (const { rule } of firedRules) {
    if (rule.type === 'key-exchange') {
      if (rule.minFfdhBits !== undefined) plan.minFfdhBits = Math.max(plan.minFfdhBits ?? 0, rule.minFfdhBits);
      if (rule.minEcdhBits !== undefined || rule.curves) {
        const allowed = (rule.curves ?? ['X25519', 'secp256r1', 'secp384r1']).filter((c) => {
          const g = groupByName(c);
          const bits = g?.name === 'x25519' ? 256 : g?.bits;
          return rule.minEcdhBits === undefined || (bits !== undefined && bits >= rule.minEcdhBits);
        });
        plan.curves = plan.curves ? plan.curves.filter((c) => allowed.includes(c)) : allowed;
      }
    }
    if (rule.type === 'certificate') {
      const details = fired.get(rule.id)?.message;
      if (details) (plan.certificate ??= []).push(details);
      for (const fix of judgeCertificates(rule, target).fixes) {
        const fixes = (plan.certificateFixes ??= []);
        const entry = fixes.find((f) => f.fix === fix);
        if (entry) entry.rules.push(rule.id);
        else fixes.push({ fix, rules: [rule.id] });
      }
    }
  }
  plan.certificateFixes?.sort((a, b) => CERTIFICATE_FIXES.indexOf(a.fix) - CERTIFICATE_FIXES.indexOf(b.fix));
  // A chain missing its intermediate is untrusted for that reason alone: serving it is the one fix.
  const chainFix = plan.certificateFixes?.find((f) => f.fix === 'chain');
  const trustFix = plan.certificateFixes?.find((f) => f.fix === 'trust');
  if (chainFix && trustFix) {
    chainFix.rules = [...new Set([...chainFix.rules, ...trustFix.rules])];
    plan.certificateFixes = plan.certificateFixes!.filter((f) => f !== trustFix);
  }
  return plan;
}

/** True when nothing needs changing. */
export function planIsEmpty(plan: RemediationPlan): boolean {
  return plan.findings.length === 0;
}
