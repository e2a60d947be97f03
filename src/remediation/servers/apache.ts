import type { Advice } from '../advice.js';
import { APACHE_PROTOCOL_NAMES } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { dhNote, missingNote, opensslNames, protocolList } from './common.js';
import { opensslCurveName } from './nginx.js';

const CONTEXT = 'the <VirtualHost> with SSLEngine on, or the server-wide ssl.conf';

/** mod_ssl directives (httpd.apache.org/docs/2.4/mod/mod_ssl.html). */
export function apacheAdvice(plan: RemediationPlan): Advice[] {
  const out: Advice[] = [];
  const base = { server: 'apache' as const, policy: plan.policy };
  if (plan.rules.protocols.length > 0) {
    const names = plan.protocols.map((v) => APACHE_PROTOCOL_NAMES[v]).filter((n): n is string => n !== undefined);
    const what = [
      plan.disableProtocols.length > 0 ? `disable ${protocolList(plan.disableProtocols)}` : '',
      plan.enableProtocols.length > 0 ? `enable ${protocolList(plan.enableProtocols)}` : '',
    ].filter(Boolean);
    out.push({
      ...base,
      rules: plan.rules.protocols,
      title: what.join(', ').replace(/^./, (c) => c.toUpperCase()),
      snippet: { language: 'apache', text: `SSLProtocol -all ${names.map((n) => `+${n}`).join(' ')}\n`, complete: true, context: CONTEXT },
      notes: plan.enableProtocols.includes('TLSv1.3') ? ['TLS 1.3 needs httpd 2.4.37 or later with OpenSSL 1.1.1 or later.'] : [],
    });
  }
  if (plan.rules.suites.length > 0 && (plan.suites.length > 0 || plan.tls13Suites)) {
    const { names, missing } = opensslNames(plan.suites);
    const lines: string[] = [];
    const notes = missingNote(missing, plan.suites);
    if (names.length > 0) lines.push(`SSLCipherSuite ${names.join(':')}`);
    if (plan.tls13Suites && plan.tls13Suites.length > 0) lines.push(`SSLCipherSuite TLSv1.3 ${plan.tls13Suites.map((s) => s.name).join(':')}`);
    if (plan.disableSuites.length > 0) notes.push(`This list leaves out ${plan.disableSuites.map((s) => s.openssl ?? s.name).join(', ')}.`);
    if (lines.length > 0) {
      out.push({
        ...base,
        rules: plan.rules.suites,
        title: plan.enableSuites.length > 0 && plan.disableSuites.length === 0 ? 'Offer an approved cipher suite' : 'Offer only the cipher suites the policy allows',
        snippet: { language: 'apache', text: `${lines.join('\n')}\n`, complete: true, context: CONTEXT },
        notes,
      });
    }
  }
  if (plan.rules.preference.length > 0) {
    out.push({
      ...base,
      rules: plan.rules.preference,
      title: "Let the server's suite order decide",
      snippet: { language: 'apache', text: 'SSLHonorCipherOrder on\n', complete: true, context: CONTEXT },
      notes: [],
    });
  }
  if (plan.rules.keyExchange.length > 0) {
    const lines: string[] = [];
    const notes: string[] = [];
    if (plan.curves && plan.curves.length > 0) lines.push(`SSLOpenSSLConfCmd Curves ${plan.curves.map(opensslCurveName).join(':')}`);
    if (plan.minFfdhBits !== undefined) {
      lines.push(`SSLOpenSSLConfCmd DHParameters "/etc/ssl/dhparam-${plan.minFfdhBits}.pem"`);
      notes.push(dhNote(plan.minFfdhBits));
    }
    notes.push('SSLOpenSSLConfCmd needs httpd 2.4.8 or later with OpenSSL 1.0.2 or later.');
    out.push({
      ...base,
      rules: plan.rules.keyExchange,
      title: 'Use stronger key exchange groups',
      snippet: { language: 'apache', text: `${lines.join('\n')}\n`, complete: plan.minFfdhBits === undefined, context: CONTEXT },
      notes,
    });
  }
  return out;
}
