import type { CertificateDetails, CertificateObservation } from '../model/certificate.js';
import type { Target } from '../model/target.js';
import { certificateDates, judgedChains } from '../policy/certificate-evidence.js';

/** Problems a person must hear about first, in the order the table names them. */
function problems(o: CertificateObservation): string[] {
  const dates = certificateDates(o);
  const out: string[] = [];
  if (dates.expired) out.push('expired');
  if (dates.notYetValid) out.push('not yet valid');
  if (o.revoked) out.push('revoked');
  if (o.trusted === false) out.push(o.chain[0]?.selfSigned ? 'self-signed' : 'untrusted');
  if (o.hostnameMatches === false) out.push('name mismatch');
  if (o.chainComplete === false) out.push('incomplete chain');
  return out;
}

/**
 * The table's certificate cell: the problems of the chains a policy judges ("expired, untrusted"), else
 * the fewest days left ("expires in 12 d"); undefined when no source reported a chain.
 */
export function certificateBrief(t: Target): string | undefined {
  const chains = judgedChains(t);
  if (chains.length === 0) return undefined;
  const found = [...new Set(chains.flatMap(problems))];
  if (found.length > 0) return found.join(', ');
  const days = chains.map((o) => certificateDates(o).daysLeft).filter((d): d is number => d !== undefined);
  return days.length > 0 ? `expires in ${Math.min(...days)} d` : 'ok';
}

/** Which chain this is: source, SNI name, key family. */
export function chainLabel(o: CertificateObservation): string {
  return [o.source, o.serverName ? `SNI ${o.serverName}` : 'no SNI', o.keyFamily?.toUpperCase()].filter(Boolean).join(', ');
}

function yesNo(value: boolean | undefined, yes: string, no: string): string | undefined {
  return value === undefined ? undefined : value ? yes : no;
}

/** What the source concluded about a chain, as short phrases; unknown facts are left out. */
export function chainVerdicts(o: CertificateObservation): string[] {
  const dates = certificateDates(o);
  const leaf = o.chain[0];
  const out = [
    yesNo(o.trusted, `trusted${o.trustStore ? ` (${o.trustStore})` : ''}`, `not trusted${o.trustStore ? ` (${o.trustStore})` : ''}${o.trustError ? `: ${o.trustError}` : ''}`),
    yesNo(o.hostnameMatches, `matches ${o.hostnameChecked ?? 'the name'}`, `does not match ${o.hostnameChecked ?? 'the name'}`),
    yesNo(o.chainComplete, 'chain complete', 'chain incomplete'),
    o.chainInOrder === false ? 'chain out of order' : undefined,
    dates.expired
      ? `expired on ${leaf?.notAfter?.slice(0, 10) ?? '?'}`
      : dates.notYetValid
        ? `not valid before ${leaf?.notBefore?.slice(0, 10) ?? '?'}`
        : dates.daysLeft !== undefined
          ? `${dates.daysLeft} days left`
          : undefined,
    dates.at ? `dates judged at ${dates.at}` : undefined,
    yesNo(o.ocspStapled, 'OCSP stapled', 'no OCSP staple'),
    yesNo(o.revoked, 'revoked', 'not revoked'),
  ];
  return out.filter((s): s is string => typeof s === 'string' && s !== '');
}

/** One certificate in a line: subject, issuer, validity, key, signature. */
export function certificateLine(c: CertificateDetails): string {
  return [
    c.subject ?? '(no subject)',
    c.selfSigned ? 'self-signed' : c.issuer ? `issued by ${c.issuer}` : undefined,
    c.notBefore || c.notAfter ? `valid ${c.notBefore?.slice(0, 10) ?? '?'} to ${c.notAfter?.slice(0, 10) ?? '?'}` : undefined,
    c.keyType ? `${c.keyType}${c.curve ? ` ${c.curve}` : ''}${c.keyBits ? ` ${c.keyBits}` : ''}` : undefined,
    c.signatureAlgorithm,
  ]
    .filter(Boolean)
    .join(', ');
}
