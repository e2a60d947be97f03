import { groupByName } from '../../registry/index.js';
import type { Advice } from '../advice.js';
import type { CipherStringServerSyntax, OpensslServerSyntax } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { dhNote, missingNote, opensslNames, protocolChangeTitle, suiteChangeTitle } from './common.js';

/** OpenSSL's names for curves (X25519, prime256v1, secp384r1). */
export function opensslCurveName(curve: string): string {
  const g = groupByName(curve);
  if (!g) return curve;
  if (g.name === 'x25519') return 'X25519';
  if (g.name === 'x448') return 'X448';
  if (g.name === 'secp256r1') return 'prime256v1';
  return g.name;
}

function snippet(syntax: OpensslServerSyntax, lines: readonly string[], complete: boolean): Advice['snippet'] {
  return { language: syntax.server, text: `${lines.join('\n')}\n`, complete, context: syntax.context };
}

/** The protocol versions to allow, as one list. */
export function protocolListAdvice(plan: RemediationPlan, syntax: CipherStringServerSyntax): Advice[] {
  if (plan.rules.protocols.length === 0) return [];
  return [
    {
      server: syntax.server,
      policy: plan.policy,
      rules: plan.rules.protocols,
      title: protocolChangeTitle(plan),
      snippet: snippet(syntax, [syntax.protocols(plan.protocols)], true),
      notes: plan.enableProtocols.includes('TLSv1.3') ? [syntax.tls13Note] : [],
    },
  ];
}

/** The suites to offer: a cipher string for TLS 1.2 and older, and the TLS 1.3 suites when the plan names them. */
export function cipherStringAdvice(plan: RemediationPlan, syntax: CipherStringServerSyntax): Advice[] {
  if (plan.rules.suites.length === 0 || (plan.suites.length === 0 && !plan.tls13Suites)) return [];
  const { names, missing } = opensslNames(plan.suites);
  const lines: string[] = [];
  const notes = missingNote(missing, plan.suites);
  if (names.length > 0) lines.push(syntax.cipherString(names));
  if (plan.tls13Suites && plan.tls13Suites.length > 0) {
    lines.push(syntax.tls13Suites(plan.tls13Suites.map((s) => s.name)));
    notes.push(...syntax.tls13SuitesNotes);
  }
  if (plan.disableSuites.length > 0) notes.push(`This list leaves out ${plan.disableSuites.map((s) => s.openssl ?? s.name).join(', ')}.`);
  if (lines.length === 0) return [];
  return [{ server: syntax.server, policy: plan.policy, rules: plan.rules.suites, title: suiteChangeTitle(plan), snippet: snippet(syntax, lines, true), notes }];
}

export function serverOrderAdvice(plan: RemediationPlan, syntax: OpensslServerSyntax): Advice[] {
  if (plan.rules.preference.length === 0) return [];
  return [
    {
      server: syntax.server,
      policy: plan.policy,
      rules: plan.rules.preference,
      title: "Let the server's suite order decide",
      snippet: snippet(syntax, [syntax.serverOrder], true),
      notes: [],
    },
  ];
}

/** The curves to offer and the finite-field group to use; the group file is for the admin to make. */
export function keyExchangeAdvice(plan: RemediationPlan, syntax: OpensslServerSyntax): Advice[] {
  if (plan.rules.keyExchange.length === 0) return [];
  const lines: string[] = [];
  const notes: string[] = [];
  if (plan.curves && plan.curves.length > 0) lines.push(syntax.curves(plan.curves.map(opensslCurveName)));
  if (plan.minFfdhBits !== undefined) {
    lines.push(syntax.dhParams(plan.minFfdhBits));
    notes.push(syntax.dhParamsCaveat ? `${syntax.dhParamsCaveat} ${dhNote(plan.minFfdhBits)}` : dhNote(plan.minFfdhBits));
  }
  notes.push(...syntax.keyExchangeNotes);
  return [
    {
      server: syntax.server,
      policy: plan.policy,
      rules: plan.rules.keyExchange,
      title: 'Use stronger key exchange groups',
      snippet: snippet(syntax, lines, plan.minFfdhBits === undefined),
      notes,
    },
  ];
}

/** All the advice for a server configured by a protocol list and cipher strings (nginx, Apache httpd). */
export function cipherStringServerAdvice(plan: RemediationPlan, syntax: CipherStringServerSyntax): Advice[] {
  return [...protocolListAdvice(plan, syntax), ...cipherStringAdvice(plan, syntax), ...serverOrderAdvice(plan, syntax), ...keyExchangeAdvice(plan, syntax)];
}
