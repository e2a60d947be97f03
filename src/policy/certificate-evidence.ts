import type { CertificateDetails, CertificateObservation } from '../model/certificate.js';
import type { SourceKind } from '../model/source.js';
import type { CertificateSummary, TargetObservation } from '../model/target.js';
import { normaliseKeyType } from './certificate-key.js';
import { signatureMatches } from './certificate-signature.js';
import { CERTIFICATE_CHECKS, type CertificateCheck, type CertificateRule } from './policy.js';

const DAY_MS = 86_400_000;

export interface CertificateDates {
  expired?: boolean;
  notYetValid?: boolean;
  daysLeft?: number;
  /** The time the dates were judged at. */
  at?: string;
}

/**
 * The leaf's dates as of when the source observed them: the source's own verdict when it gave one, else
 * computed from notBefore/notAfter at checkedAt (or observedAt). A saved result is judged at its own
 * time, never at the time the report is made, so a report reads the same whenever it is rendered.
 */
export function certificateDates(o: CertificateObservation): CertificateDates {
  const at = o.checkedAt ?? o.observedAt;
  const d: CertificateDates = {};
  if (at !== undefined) d.at = at;
  const leaf = o.chain[0];
  const time = at !== undefined ? Date.parse(at) : NaN;
  const notAfter = leaf?.notAfter !== undefined ? Date.parse(leaf.notAfter) : NaN;
  const notBefore = leaf?.notBefore !== undefined ? Date.parse(leaf.notBefore) : NaN;
  const expired = o.expired ?? (Number.isNaN(time) || Number.isNaN(notAfter) ? undefined : time > notAfter);
  const notYetValid = o.notYetValid ?? (Number.isNaN(time) || Number.isNaN(notBefore) ? undefined : time < notBefore);
  const daysLeft = o.daysLeft ?? (Number.isNaN(time) || Number.isNaN(notAfter) ? undefined : Math.floor((notAfter - time) / DAY_MS));
  if (expired !== undefined) d.expired = expired;
  if (notYetValid !== undefined) d.notYetValid = notYetValid;
  if (daysLeft !== undefined) d.daysLeft = daysLeft;
  return d;
}

/** The value of a check on one observation: true when it passes, false when it fails, undefined when unknown. */
function passes(check: CertificateCheck, o: CertificateObservation): boolean | undefined {
  switch (check) {
    case 'expired': {
      const e = certificateDates(o).expired;
      return e === undefined ? undefined : !e;
    }
    case 'notYetValid': {
      const n = certificateDates(o).notYetValid;
      return n === undefined ? undefined : !n;
    }
    case 'trusted':
      return o.trusted;
    case 'hostnameMatches':
      return o.hostnameMatches;
    case 'completeChain':
      return o.chainComplete;
    case 'ocspStapled':
      return o.ocspStapled;
    case 'revoked':
      return o.revoked === undefined ? undefined : !o.revoked;
  }
}

function day(iso: string | undefined): string {
  return iso?.slice(0, 10) ?? 'an unknown date';
}

function why(check: CertificateCheck, o: CertificateObservation): string {
  const leaf = o.chain[0];
  const dates = certificateDates(o);
  switch (check) {
    case 'expired':
      return `expired on ${day(leaf?.notAfter)}${dates.at ? ` (judged at ${dates.at})` : ''}`;
    case 'notYetValid':
      return `not valid before ${day(leaf?.notBefore)}${dates.at ? ` (judged at ${dates.at})` : ''}`;
    case 'trusted':
      return `not trusted${o.trustStore ? ` by ${o.trustStore}` : ''}${o.trustError ? `: ${o.trustError}` : ''}`;
    case 'hostnameMatches':
      return `does not match ${o.hostnameChecked ?? 'the host name'}${leaf?.subjectAltNames ? ` (it names ${leaf.subjectAltNames.join(', ')})` : leaf?.subject ? ` (it is for ${leaf.subject})` : ''}`;
    case 'completeChain':
      return `incomplete chain: the server does not send the intermediate${leaf?.issuer ? ` (${leaf.issuer})` : ''}`;
    case 'ocspStapled':
      return 'no OCSP response stapled';
    case 'revoked':
      return 'revoked';
  }
}

const CHECK_NAMES: Record<CertificateCheck, string> = {
  expired: 'expiry',
  notYetValid: 'start date',
  trusted: 'trust',
  hostnameMatches: 'host name match',
  completeChain: 'chain completeness',
  ocspStapled: 'OCSP stapling',
  revoked: 'revocation',
};

/** Which chain a detail is about, when a target has more than one. */
function label(o: CertificateObservation, all: readonly CertificateObservation[]): string {
  if (all.length <= 1) return '';
  const parts = [o.keyFamily?.toUpperCase(), o.serverName && all.some((x) => x.serverName !== o.serverName) ? o.serverName : undefined, all.some((x) => x.source !== o.source) ? o.source : undefined].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' ')}: ` : '';
}

/**
 * The chains a policy judges: a chain a source got without SNI only when that source has none with SNI,
 * since every current client sends SNI and a server's default certificate for clients that do not is
 * often another site's.
 */
export function judgedChains(target: TargetObservation): CertificateObservation[] {
  const all = target.certificates ?? [];
  return all.filter((o) => o.serverName !== undefined || !all.some((x) => x.source === o.source && x.serverName !== undefined));
}

/** What has to change to fix a certificate finding, for remediation. */
export const CERTIFICATE_FIXES = ['renew', 'clock', 'chain', 'name', 'trust', 'key', 'signature', 'revoked', 'stapling'] as const;
export type CertificateFix = (typeof CERTIFICATE_FIXES)[number];

const FIX_OF_CHECK: Record<CertificateCheck, CertificateFix> = {
  expired: 'renew',
  notYetValid: 'clock',
  trusted: 'trust',
  hostnameMatches: 'name',
  completeChain: 'chain',
  ocspStapled: 'stapling',
  revoked: 'revoked',
};

export interface CertificateJudgement {
  /** The kinds of change that would fix what was found. */
  fixes: Set<CertificateFix>;
  details: string[];
  sources: Set<SourceKind>;
  /** Facts the rule asks about that no source reported. */
  unknown: string[];
}

function keyProblems(rule: CertificateRule, leaf: CertificateDetails | CertificateSummary): string[] {
  const out: string[] = [];
  const type = normaliseKeyType(leaf.keyType);
  const bits = leaf.keyBits;
  if (rule.keyTypes && type !== undefined && !rule.keyTypes.includes(type)) {
    out.push(`${type.toUpperCase()} key, not ${rule.keyTypes.map((k) => k.toUpperCase()).join(' or ')}`);
  }
  if (type === 'rsa' && rule.minRsaBits !== undefined && bits !== undefined && bits < rule.minRsaBits) {
    out.push(`RSA ${bits}-bit key, below ${rule.minRsaBits}`);
  }
  if (type === 'ecdsa' && rule.minEcBits !== undefined && bits !== undefined && bits < rule.minEcBits) {
    out.push(`EC ${bits}-bit key, below ${rule.minEcBits}`);
  }
  return out;
}

/**
 * Judges every certificate chain of a target against a certificate rule. Without chains (sources that
 * report only a summary) the summary's key is judged as before.
 */
export function judgeCertificates(rule: CertificateRule, target: TargetObservation): CertificateJudgement {
  const j: CertificateJudgement = { fixes: new Set(), details: [], sources: new Set(), unknown: [] };
  const all = judgedChains(target);
  const add = (detail: string, source: SourceKind): void => {
    if (!j.details.includes(detail)) j.details.push(detail);
    j.sources.add(source);
  };
  if (all.length === 0) {
    if (target.certificate) {
      for (const p of keyProblems(rule, target.certificate)) {
        add(p, 'probe');
        j.fixes.add('key');
      }
      // Which source reported the summary is not recorded: name every source that assessed the target.
      if (j.details.length > 0) {
        j.sources.clear();
        for (const run of target.runs) if (!run.error) j.sources.add(run.source);
      }
    }
  }
  for (const o of all) {
    const leaf = o.chain[0];
    const tag = label(o, all);
    if (leaf) {
      for (const p of keyProblems(rule, leaf)) {
        add(`${tag}${p}`, o.source);
        j.fixes.add('key');
      }
    }
    if (rule.signatureAlgorithms) {
      // The root's own signature is not checked by anyone: trust in it comes from the store.
      for (const c of o.chain) {
        if (c.selfSigned === true || c.signatureAlgorithm === undefined) continue;
        if (rule.signatureAlgorithms.some((e) => signatureMatches(e, c.signatureAlgorithm!))) {
          add(`${tag}${c.subject ?? 'a certificate'} is signed with ${c.signatureAlgorithm}`, o.source);
          j.fixes.add('signature');
        }
      }
    }
    if (rule.expiresWithinDays !== undefined) {
      const { daysLeft, at } = certificateDates(o);
      if (daysLeft !== undefined && daysLeft < rule.expiresWithinDays && daysLeft >= 0) {
        add(`${tag}expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${day(leaf?.notAfter)}${at ? `, judged at ${at}` : ''})`, o.source);
        j.fixes.add('renew');
      }
    }
    for (const check of CERTIFICATE_CHECKS) {
      if (rule[check] !== true) continue;
      if (passes(check, o) === false) {
        add(`${tag}${why(check, o)}`, o.source);
        j.fixes.add(FIX_OF_CHECK[check]);
      }
    }
  }
  // A fact is unknown only when no chain of any source reported it.
  const asked: Array<[string, (o: CertificateObservation) => boolean]> = [];
  for (const check of CERTIFICATE_CHECKS) if (rule[check] === true) asked.push([CHECK_NAMES[check], (o) => passes(check, o) !== undefined]);
  if (rule.expiresWithinDays !== undefined) asked.push(['days left', (o) => certificateDates(o).daysLeft !== undefined]);
  if (rule.signatureAlgorithms) asked.push(['signature algorithms', (o) => o.chain.some((c) => c.signatureAlgorithm !== undefined)]);
  for (const [name, known] of asked) if (!all.some(known)) j.unknown.push(name);
  return j;
}
