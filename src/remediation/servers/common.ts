import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { PlannedSuite, RemediationPlan } from '../plan-remediation.js';

/** "TLS 1.0 and TLS 1.1" */
export function protocolList(versions: readonly ProtocolVersion[]): string {
  const names = versions.map((v) => v.replace('TLSv', 'TLS ').replace(/^SSLv(\d)$/, 'SSL $1.0'));
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "Disable TLS 1.0 and TLS 1.1, enable TLS 1.2" */
export function protocolChangeTitle(plan: RemediationPlan): string {
  const what = [
    plan.disableProtocols.length > 0 ? `disable ${protocolList(plan.disableProtocols)}` : '',
    plan.enableProtocols.length > 0 ? `enable ${protocolList(plan.enableProtocols)}` : '',
  ].filter(Boolean);
  return what.join(', ').replace(/^./, (c) => c.toUpperCase());
}

/** The title of a cipher list that only adds approved suites, or one that also leaves suites out. */
export function suiteChangeTitle(plan: RemediationPlan): string {
  return plan.enableSuites.length > 0 && plan.disableSuites.length === 0 ? 'Offer an approved cipher suite' : 'Offer only the cipher suites the policy allows';
}

/** The OpenSSL names of suites, and the suites the registry has no OpenSSL name for. */
export function opensslNames(suites: readonly PlannedSuite[]): { names: string[]; missing: PlannedSuite[] } {
  const names: string[] = [];
  const missing: PlannedSuite[] = [];
  for (const s of suites) {
    if (s.openssl) names.push(s.openssl);
    else missing.push(s);
  }
  return { names, missing };
}

/**
 * Caveats for a cipher list: suites OpenSSL has no name for (it never implemented them) are left
 * out; names known only from OpenSSL's manual (3DES, RC4, static DH, ...) are unknown to builds
 * without those suites, which skip them and reject a list where no name is known.
 */
export function missingNote(missing: readonly PlannedSuite[], listed: readonly PlannedSuite[] = []): string[] {
  const notes: string[] = [];
  if (missing.length > 0) {
    const one = missing.length === 1;
    notes.push(`No OpenSSL name is known for ${missing.map((s) => s.name).join(', ')} (OpenSSL does not implement ${one ? 'it' : 'them'}), so ${one ? 'it is' : 'they are'} left out.`);
  }
  const old = listed.filter((s) => s.openssl && s.opensslFromManual);
  if (old.length > 0) {
    const one = old.length === 1;
    notes.push(
      `${old.map((s) => s.openssl).join(', ')} ${one ? 'is a name' : 'are names'} from OpenSSL's manual: an OpenSSL built without ${one ? 'that suite' : 'those suites'} skips ${one ? 'it' : 'them'}, and rejects the list if it knows none of its names.`,
    );
  }
  return notes;
}

export function dhNote(bits: number): string {
  return `Generate the group file once, e.g. \`openssl dhparam -out dhparam.pem ${bits}\`, or use the RFC 7919 ffdhe${bits <= 2048 ? 2048 : bits <= 3072 ? 3072 : 4096} group.`;
}
