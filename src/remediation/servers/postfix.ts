import { PROTOCOL_VERSIONS, compareProtocolVersions } from '../../model/protocol-version.js';
import type { Advice } from '../advice.js';
import { OPENSSL_PROTOCOL_NAMES, POSTFIX_SYNTAX } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { missingNote, opensslNames, protocolChangeTitle, protocolList, suiteChangeTitle } from './common.js';
import { keyExchangeAdvice, serverOrderAdvice } from './openssl-server-advice.js';

const CONTEXT = POSTFIX_SYNTAX.context;

/**
 * Postfix's smtpd_tls_* settings (postconf(5), TLS_README). The exclusion form of the protocol lists
 * works on every Postfix release; ">=TLSv1.2" needs 3.6.
 */
export function postfixAdvice(plan: RemediationPlan): Advice[] {
  const out: Advice[] = [];
  const base = { server: 'postfix' as const, policy: plan.policy };
  if (plan.rules.protocols.length > 0) {
    // Exclude what is below the lowest version that stays and what the policy forbids; a version merely
    // not offered today (TLS 1.3 on an old build) is left alone.
    const lowest = plan.protocols[0];
    const off = PROTOCOL_VERSIONS.filter(
      (v) => (lowest !== undefined && compareProtocolVersions(v, lowest) < 0) || plan.disableProtocols.includes(v),
    ).map((v) => `!${OPENSSL_PROTOCOL_NAMES[v]}`);
    const value = off.join(', ');
    const notes = [
      'On port 25 STARTTLS is opportunistic: a sending server that cannot agree on a protocol may deliver without TLS. smtpd_tls_mandatory_protocols applies where TLS is required (submission, smtpd_tls_security_level = encrypt).',
    ];
    if (plan.enableProtocols.length > 0) notes.push(`${protocolList(plan.enableProtocols)} must also be supported by the OpenSSL Postfix is linked with.`);
    out.push({
      ...base,
      rules: plan.rules.protocols,
      title: protocolChangeTitle(plan),
      snippet: {
        language: 'postfix',
        text: `smtpd_tls_protocols = ${value}\nsmtpd_tls_mandatory_protocols = ${value}\n`,
        complete: true,
        context: CONTEXT,
      },
      notes,
    });
  }
  if (plan.rules.suites.length > 0 && plan.suites.length > 0) {
    const { names, missing } = opensslNames(plan.suites);
    const notes = [
      ...missingNote(missing, plan.suites),
      'tls_high_cipherlist is shared with the Postfix SMTP client; to change only the server, list the suites to drop in smtpd_tls_exclude_ciphers instead.',
    ];
    if (plan.disableSuites.length > 0) {
      const dropped = opensslNames(plan.disableSuites);
      if (dropped.names.length > 0) notes.push(`That alternative: smtpd_tls_exclude_ciphers = ${dropped.names.join(', ')}`);
    }
    if (names.length > 0) {
      out.push({
        ...base,
        rules: plan.rules.suites,
        title: suiteChangeTitle(plan),
        snippet: {
          language: 'postfix',
          text: `smtpd_tls_ciphers = high\nsmtpd_tls_mandatory_ciphers = high\ntls_high_cipherlist = ${names.join(':')}\n`,
          complete: true,
          context: CONTEXT,
        },
        notes,
      });
    }
  }
  if (plan.tls13Suites && plan.tls13Suites.length > 0 && plan.rules.suites.length > 0) {
    out.push({
      ...base,
      rules: plan.rules.suites,
      title: 'Offer only the TLS 1.3 suites the policy allows',
      snippet: {
        language: 'postfix',
        text: `tls_config_file = \${config_directory}/openssl.cnf\ntls_config_name = postfix\n`,
        complete: false,
        context: CONTEXT,
      },
      notes: [
        'Postfix has no TLS 1.3 suite setting of its own; from 3.9 (and 3.8.1, 3.7.6, 3.6.10, 3.5.20) it reads OpenSSL settings from tls_config_file, under the application name tls_config_name.',
        `In that openssl.cnf: "postfix = postfix_settings", then [postfix_settings] "ssl_conf = postfix_ssl", [postfix_ssl] "system_default = postfix_tls", and [postfix_tls] "Ciphersuites = ${plan.tls13Suites.map((s) => s.name).join(':')}".`,
      ],
    });
  }
  out.push(...serverOrderAdvice(plan, POSTFIX_SYNTAX), ...keyExchangeAdvice(plan, POSTFIX_SYNTAX));
  return out;
}
