import type { ProtocolVersion } from '../model/protocol-version.js';
import type { SourceKind } from '../model/source.js';
import type { EvidenceGap, ProtocolObservation, TargetObservation } from '../model/target.js';
import type { Finding, Status, Verdict } from '../model/verdict.js';
import { normaliseKeyType } from './certificate-key.js';
import type { CompiledPolicy, CompiledRule } from './compile-policy.js';
import { describeKeyExchange, keyExchangeSeen, type KeyExchangeSeen } from './key-exchange-evidence.js';
import type { CertificateRule, KeyExchangeRule } from './policy.js';
import { registeredSuite, suiteRef } from './suite-selector.js';

export interface EvaluateOptions {
  /** Deprecated findings (severity warn) count as failures. */
  strict?: boolean;
}

/** Engine rules that are not part of any policy. */
export const ENGINE_RULES = {
  assessmentError: 'assessment-error',
  sourceDisagreement: 'source-disagreement',
  incompleteEvidence: 'incomplete-evidence',
} as const;

interface Offending {
  protocols: ProtocolVersion[];
  suites: Array<{ code: string; name: string }>;
  sources: Set<SourceKind>;
  /** What was measured, for {details}: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: DH 1024 bits". */
  details: string[];
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function inScope(protocol: ProtocolObservation, scope: readonly ProtocolVersion[] | undefined): boolean {
  return scope === undefined || scope.includes(protocol.version);
}

/** Returns what made the rule fire, or undefined when the target complies with it. */
function check(compiled: CompiledRule, target: TargetObservation): Offending | undefined {
  const { rule } = compiled;
  const offending: Offending = { protocols: [], suites: [], sources: new Set(), details: [] };
  switch (rule.type) {
    case 'require-protocol':
      if (target.protocols.some((p) => p.version === rule.protocol)) return undefined;
      offending.protocols.push(rule.protocol);
      for (const run of target.runs) if (!run.error) offending.sources.add(run.source);
      return offending;
    case 'forbid-protocols':
      for (const p of target.protocols) {
        if (!rule.protocols.includes(p.version)) continue;
        offending.protocols.push(p.version);
        for (const e of p.evidence) offending.sources.add(e.source);
      }
      return offending.protocols.length > 0 ? offending : undefined;
    case 'require-any-suite': {
      const matches = compiled.matches!;
      const found = target.protocols.some(
        (p) => inScope(p, rule.protocols) && p.ciphers.some((c) => matches(suiteRef(c.code, c.name))),
      );
      if (found) return undefined;
      offending.protocols.push(...(rule.protocols ?? []));
      for (const run of target.runs) if (!run.error) offending.sources.add(run.source);
      return offending;
    }
    case 'forbid-suites': {
      const matches = compiled.matches!;
      const seen = new Set<string>();
      for (const p of target.protocols) {
        if (!inScope(p, rule.protocols)) continue;
        for (const c of p.ciphers) {
          if (!matches(suiteRef(c.code, c.name))) continue;
          if (!offending.protocols.includes(p.version)) offending.protocols.push(p.version);
          for (const e of c.evidence) offending.sources.add(e.source);
          if (seen.has(c.code)) continue;
          seen.add(c.code);
          offending.suites.push({ code: c.code, name: c.name });
        }
      }
      return offending.suites.length > 0 ? offending : undefined;
    }
    case 'key-exchange':
      return checkKeyExchange(compiled, rule, target, offending);
    case 'certificate':
      return checkCertificate(rule, target, offending);
    case 'server-cipher-preference':
      for (const p of target.protocols) {
        if (!inScope(p, rule.protocols) || p.cipherPreference !== 'client') continue;
        offending.protocols.push(p.version);
        for (const e of p.evidence) offending.sources.add(e.source);
      }
      return offending.protocols.length > 0 ? offending : undefined;
  }
}

/** Why one observed key exchange breaks the rule, or undefined when it does not (or cannot be told). */
function keyExchangeProblem(compiled: CompiledRule, rule: KeyExchangeRule, seen: KeyExchangeSeen): string | undefined {
  if (seen.kind === 'ff' && rule.minFfdhBits !== undefined && seen.bits !== undefined && seen.bits < rule.minFfdhBits) {
    return `${describeKeyExchange(seen)}, below ${rule.minFfdhBits}`;
  }
  if (seen.kind === 'ec' && rule.minEcdhBits !== undefined && seen.bits !== undefined && seen.bits < rule.minEcdhBits) {
    return `${describeKeyExchange(seen)}, below ${rule.minEcdhBits}`;
  }
  if (seen.kind === 'ec' && compiled.curves && seen.group && !compiled.curves.has(seen.group.name)) {
    return `${seen.group.name}, not an allowed curve`;
  }
  return undefined;
}

function checkKeyExchange(compiled: CompiledRule, rule: KeyExchangeRule, target: TargetObservation, offending: Offending): Offending | undefined {
  const seen = new Set<string>();
  for (const p of target.protocols) {
    if (!inScope(p, rule.protocols)) continue;
    for (const c of p.ciphers) {
      const suite = registeredSuite(c.code);
      for (const e of c.evidence) {
        const kex = keyExchangeSeen(e, suite);
        const problem = kex && keyExchangeProblem(compiled, rule, kex);
        if (!problem) continue;
        if (!offending.protocols.includes(p.version)) offending.protocols.push(p.version);
        offending.sources.add(e.source);
        const key = `${c.code} ${problem}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!offending.suites.some((s) => s.code === c.code)) offending.suites.push({ code: c.code, name: c.name });
        offending.details.push(`${c.name} (${problem})`);
      }
    }
  }
  return offending.suites.length > 0 ? offending : undefined;
}

function checkCertificate(rule: CertificateRule, target: TargetObservation, offending: Offending): Offending | undefined {
  const cert = target.certificate;
  if (!cert) return undefined;
  const type = normaliseKeyType(cert.keyType);
  const bits = cert.keyBits;
  if (rule.keyTypes && type !== undefined && !rule.keyTypes.includes(type)) {
    offending.details.push(`${type.toUpperCase()} key, not ${rule.keyTypes.map((k) => k.toUpperCase()).join(' or ')}`);
  }
  if (type === 'rsa' && rule.minRsaBits !== undefined && bits !== undefined && bits < rule.minRsaBits) {
    offending.details.push(`RSA ${bits}-bit key, below ${rule.minRsaBits}`);
  }
  if (type === 'ecdsa' && rule.minEcBits !== undefined && bits !== undefined && bits < rule.minEcBits) {
    offending.details.push(`EC ${bits}-bit key, below ${rule.minEcBits}`);
  }
  if (offending.details.length === 0) return undefined;
  for (const run of target.runs) if (!run.error) offending.sources.add(run.source);
  return offending;
}

function toFinding(compiled: CompiledRule, offending: Offending, strict: boolean): Finding {
  const { rule } = compiled;
  const message = fill(rule.message, {
    protocol: rule.type === 'require-protocol' ? rule.protocol : offending.protocols.join(', '),
    protocols: offending.protocols.join(', '),
    suites: offending.suites.map((s) => s.name).join(', '),
    count: String(offending.suites.length || offending.protocols.length),
    nsuites: offending.suites.length === 1 ? '1 suite' : `${offending.suites.length} suites`,
    details: offending.details.join('; '),
  });
  const escalate = strict && rule.severity === 'warn';
  const finding: Finding = { rule: rule.id, severity: escalate ? 'fail' : rule.severity, message };
  const evidence: NonNullable<Finding['evidence']> = {};
  if (offending.protocols.length > 0) evidence.protocols = offending.protocols;
  if (offending.suites.length > 0) evidence.ciphers = offending.suites.map((s) => s.code);
  if (offending.sources.size > 0) evidence.sources = [...offending.sources].sort();
  if (Object.keys(evidence).length > 0) finding.evidence = evidence;
  if (escalate) (finding as Finding & { escalated?: boolean }).escalated = true;
  return finding;
}

export function statusOf(findings: readonly Finding[]): Exclude<Status, 'error'> {
  if (findings.some((f) => f.severity === 'fail')) return 'fail';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

/**
 * The gaps that could change a rule's outcome: those in its protocol scope, a certificate gap for a
 * certificate rule with no certificate seen, and any gap that covers the whole target. A rule type this
 * function does not know is open to every gap.
 */
function gapsAffecting(rule: CompiledRule['rule'], target: TargetObservation, gaps: readonly EvidenceGap[]): EvidenceGap[] {
  const whole = (g: EvidenceGap) => g.protocol === undefined && !g.certificate;
  const inProtocols = (scope: readonly ProtocolVersion[] | undefined) => (g: EvidenceGap) =>
    whole(g) || (g.protocol !== undefined && (scope === undefined || scope.includes(g.protocol)));
  switch (rule.type) {
    case 'require-protocol':
      return gaps.filter(inProtocols([rule.protocol]));
    case 'forbid-protocols':
      return gaps.filter(inProtocols(rule.protocols));
    case 'require-any-suite':
    case 'forbid-suites':
    case 'key-exchange':
    case 'server-cipher-preference':
      return gaps.filter(inProtocols(rule.protocols));
    case 'certificate':
      return target.certificate ? [] : gaps.filter((g) => whole(g) || g.certificate === true);
    default:
      return [...gaps];
  }
}

/** Rules that fire on what is missing: with a gap in scope, their firing proves nothing. */
function firesOnAbsence(rule: CompiledRule['rule']): boolean {
  return rule.type === 'require-protocol' || rule.type === 'require-any-suite';
}

function describeGaps(gaps: readonly EvidenceGap[]): string {
  return [...new Set(gaps.map((g) => `${g.protocol ?? (g.certificate ? 'certificate' : 'everything')}: ${g.reason.replace(/\.$/, '')}`))].join('; ');
}

/**
 * Scores one target against a policy. A target no source could assess gets status `error` with the
 * reason as its finding: there is nothing to judge, and guessing would be worse than saying so.
 */
export function evaluate(policy: CompiledPolicy, target: TargetObservation, options: EvaluateOptions = {}): Verdict {
  if (target.error !== undefined) {
    return {
      status: 'error',
      findings: [
        {
          rule: ENGINE_RULES.assessmentError,
          severity: 'fail',
          message: target.error,
          evidence: { sources: [...new Set(target.runs.map((r) => r.source))].sort() },
        },
      ],
    };
  }
  const findings: Finding[] = [];
  const gaps = target.incomplete ?? [];
  // Rules whose outcome the missing evidence could still change, and the gaps that could change it.
  const undecided: Array<{ rule: string; gaps: EvidenceGap[] }> = [];
  for (const compiled of policy.rules) {
    const offending = check(compiled, target);
    const open = gaps.length > 0 ? gapsAffecting(compiled.rule, target, gaps) : [];
    // What was seen accepted was accepted: a rule that fires on presence is proven when it fires, and one
    // that fires on absence is proven when it does not. The other way round, what is missing could
    // still change the outcome.
    if (open.length > 0 && (firesOnAbsence(compiled.rule) ? offending !== undefined : offending === undefined)) {
      undecided.push({ rule: compiled.rule.id, gaps: open });
      continue;
    }
    if (offending) findings.push(toFinding(compiled, offending, options.strict ?? false));
  }
  for (const d of target.disagreements ?? []) {
    const evidence: NonNullable<Finding['evidence']> = { sources: d.sources };
    if (d.protocols) evidence.protocols = d.protocols;
    if (d.ciphers) evidence.ciphers = d.ciphers;
    findings.push({ rule: ENGINE_RULES.sourceDisagreement, severity: 'info', message: d.message, evidence });
  }
  if (gaps.length === 0) return { status: statusOf(findings), findings };
  const status = statusOf(findings);
  const open = [...new Set(undecided.flatMap((u) => u.gaps))];
  const protocols = [...new Set(gaps.flatMap((g) => (g.protocol ? [g.protocol] : [])))];
  const evidence: NonNullable<Finding['evidence']> = { sources: [...new Set(gaps.map((g) => g.source))].sort() };
  if (protocols.length > 0) evidence.protocols = protocols;
  if (undecided.length === 0) {
    findings.push({ rule: ENGINE_RULES.incompleteEvidence, severity: 'info', message: `The evidence is incomplete, but nothing missing could change the verdict (${describeGaps(gaps)}).`, evidence });
    return { status, findings };
  }
  const rules = undecided.map((u) => u.rule).join(', ');
  if (status === 'fail') {
    const proven = [...new Set(findings.filter((f) => f.severity === 'fail').map((f) => f.rule))].join(', ');
    findings.push({
      rule: ENGINE_RULES.incompleteEvidence,
      severity: 'info',
      message: `The evidence is incomplete (${describeGaps(open)}), so ${rules} could not be judged; the fail stands on what was settled (${proven}).`,
      evidence,
    });
    return { status, findings };
  }
  // A pass or warn on incomplete evidence would be a guess: the target could not be assessed.
  return {
    status: 'error',
    findings: [
      {
        rule: ENGINE_RULES.incompleteEvidence,
        severity: 'fail',
        message: `Could not be assessed: the evidence is incomplete (${describeGaps(open)}), and ${rules} depend${undecided.length === 1 ? 's' : ''} on what is missing.`,
        evidence,
      },
      ...findings,
    ],
  };
}
