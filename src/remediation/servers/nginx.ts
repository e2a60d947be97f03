import { groupByName } from '../../registry/index.js';
import type { Advice } from '../advice.js';
import { NGINX_PROTOCOL_NAMES } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { dhNote, missingNote, opensslNames, protocolList } from './common.js';

const CONTEXT = 'the http {} or server {} block that terminates TLS';

/** OpenSSL's names for curves in ssl_ecdh_curve (X25519, prime256v1, secp384r1). */
export function opensslCurveName(curve: string): string {
  const g = groupByName(curve);
  if (!g) return curve;
  if (g.name === 'x25519') return 'X25519';
  if (g.name === 'x448') return 'X448';
  if (g.name === 'secp256r1') return 'prime256v1';
  return g.name;
}

/** ngx_http_ssl_module directives (nginx.org/en/docs/http/ngx_http_ssl_module.html). */
export function nginxAdvice(plan: RemediationPlan): Advice[] {
  const out: Advice[] = [];
  const base = { server: 'nginx' as const, policy: plan.policy };
  if (plan.rules.protocols.length > 0) {
    const what = [
      plan.disableProtocols.length > 0 ? `disable ${protocolList(plan.disableProtocols)}` : '',
      plan.enableProtocols.length > 0 ? `enable ${protocolList(plan.enableProtocols)}` : '',
    ].filter(Boolean);
    out.push({
      ...base,
      rules: plan.rules.protocols,
      title: `${what.join(', ').replace(/^./, (c) => c.toUpperCase())}`,
      snippet: {
        language: 'nginx',
        text: `ssl_protocols ${plan.protocols.map((v) => NGINX_PROTOCOL_NAMES[v]).join(' ')};\n`,
        complete: true,
        context: CONTEXT,
      },
      notes: plan.enableProtocols.includes('TLSv1.3') ? ['TLS 1.3 needs nginx built against OpenSSL 1.1.1 or later.'] : [],
    });
  }
  if (plan.rules.suites.length > 0 && (plan.suites.length > 0 || plan.tls13Suites)) {
    const { names, missing } = opensslNames(plan.suites);
    const lines: string[] = [];
    const notes = missingNote(missing, plan.suites);
    if (names.length > 0) lines.push(`ssl_ciphers ${names.join(':')};`);
    if (plan.tls13Suites && plan.tls13Suites.length > 0) {
      lines.push(`ssl_conf_command Ciphersuites ${plan.tls13Suites.map((s) => s.name).join(':')};`);
      notes.push('ssl_conf_command needs nginx 1.19.4 or later with OpenSSL 1.0.2 or later.');
    }
    if (plan.disableSuites.length > 0) {
      notes.push(`This list leaves out ${plan.disableSuites.map((s) => s.openssl ?? s.name).join(', ')}.`);
    }
    if (lines.length > 0) {
      out.push({
        ...base,
        rules: plan.rules.suites,
        title: plan.enableSuites.length > 0 && plan.disableSuites.length === 0 ? 'Offer an approved cipher suite' : 'Offer only the cipher suites the policy allows',
        snippet: { language: 'nginx', text: `${lines.join('\n')}\n`, complete: true, context: CONTEXT },
        notes,
      });
    }
  }
  if (plan.rules.preference.length > 0) {
    out.push({
      ...base,
      rules: plan.rules.preference,
      title: "Let the server's suite order decide",
      snippet: { language: 'nginx', text: 'ssl_prefer_server_ciphers on;\n', complete: true, context: CONTEXT },
      notes: [],
    });
  }
  if (plan.rules.keyExchange.length > 0) {
    const lines: string[] = [];
    const notes: string[] = [];
    if (plan.curves && plan.curves.length > 0) lines.push(`ssl_ecdh_curve ${plan.curves.map(opensslCurveName).join(':')};`);
    if (plan.minFfdhBits !== undefined) {
      lines.push(`ssl_dhparam /etc/nginx/dhparam-${plan.minFfdhBits}.pem;`);
      notes.push(dhNote(plan.minFfdhBits));
    }
    out.push({
      ...base,
      rules: plan.rules.keyExchange,
      title: 'Use stronger key exchange groups',
      snippet: { language: 'nginx', text: `${lines.join('\n')}\n`, complete: plan.minFfdhBits === undefined, context: CONTEXT },
      notes,
    });
  }
  return out;
}
