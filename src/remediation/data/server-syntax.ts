import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { ServerKind } from '../advice.js';

/**
 * OpenSSL's spelling of protocol versions, which nginx (ngx_http_ssl_module `ssl_protocols`), Apache
 * httpd (mod_ssl `SSLProtocol`) and Postfix (`smtpd_tls_protocols`, postconf(5)) all use.
 */
export const OPENSSL_PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string>> = {
  SSLv2: 'SSLv2',
  SSLv3: 'SSLv3',
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

/** Undefined where the server (as built against current OpenSSL) has no such switch. */
export const APACHE_PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string | undefined>> = {
  ...OPENSSL_PROTOCOL_NAMES,
  // mod_ssl 2.4 dropped SSLv2 altogether; `-all` already excludes it.
  SSLv2: undefined,
};

/**
 * How a server that configures OpenSSL itself spells the settings advice changes. Lists are of
 * OpenSSL names (suites, curves); each function returns whole directives without the final newline.
 */
export interface OpensslServerSyntax {
  server: Exclude<ServerKind, 'windows'>;
  /** Where the directives go. */
  context: string;
  /** Makes the server's suite order decide. */
  serverOrder: string;
  curves: (curves: readonly string[]) => string;
  /** Points the server at a Diffie-Hellman group file of that size. */
  dhParams: (bits: number) => string;
  /** Said before how to make the group file. */
  dhParamsCaveat?: string;
  /** What the key exchange directives need (server and OpenSSL versions). */
  keyExchangeNotes: readonly string[];
}

/** A server that takes a protocol list and a cipher string for TLS 1.2 and older plus a TLS 1.3 suite list. */
export interface CipherStringServerSyntax extends OpensslServerSyntax {
  protocols: (versions: readonly ProtocolVersion[]) => string;
  /** What TLS 1.3 needs. */
  tls13Note: string;
  cipherString: (suites: readonly string[]) => string;
  tls13Suites: (suites: readonly string[]) => string;
  /** What the TLS 1.3 suite directive needs. */
  tls13SuitesNotes: readonly string[];
}

/** ngx_http_ssl_module directives (nginx.org/en/docs/http/ngx_http_ssl_module.html). */
export const NGINX_SYNTAX: CipherStringServerSyntax = {
  server: 'nginx',
  context: 'the http {} or server {} block that terminates TLS',
  protocols: (versions) => `ssl_protocols ${versions.map((v) => OPENSSL_PROTOCOL_NAMES[v]).join(' ')};`,
  tls13Note: 'TLS 1.3 needs nginx built against OpenSSL 1.1.1 or later.',
  cipherString: (suites) => `ssl_ciphers ${suites.join(':')};`,
  tls13Suites: (suites) => `ssl_conf_command Ciphersuites ${suites.join(':')};`,
  tls13SuitesNotes: ['ssl_conf_command needs nginx 1.19.4 or later with OpenSSL 1.0.2 or later.'],
  serverOrder: 'ssl_prefer_server_ciphers on;',
  curves: (curves) => `ssl_ecdh_curve ${curves.join(':')};`,
  dhParams: (bits) => `ssl_dhparam /etc/nginx/dhparam-${bits}.pem;`,
  keyExchangeNotes: [],
};

/** mod_ssl directives (httpd.apache.org/docs/2.4/mod/mod_ssl.html). */
export const APACHE_SYNTAX: CipherStringServerSyntax = {
  server: 'apache',
  context: 'the <VirtualHost> with SSLEngine on, or the server-wide ssl.conf',
  protocols: (versions) =>
    `SSLProtocol -all ${versions
      .map((v) => APACHE_PROTOCOL_NAMES[v])
      .filter((n): n is string => n !== undefined)
      .map((n) => `+${n}`)
      .join(' ')}`,
  tls13Note: 'TLS 1.3 needs httpd 2.4.37 or later with OpenSSL 1.1.1 or later.',
  cipherString: (suites) => `SSLCipherSuite ${suites.join(':')}`,
  tls13Suites: (suites) => `SSLCipherSuite TLSv1.3 ${suites.join(':')}`,
  tls13SuitesNotes: [],
  serverOrder: 'SSLHonorCipherOrder on',
  curves: (curves) => `SSLOpenSSLConfCmd Curves ${curves.join(':')}`,
  dhParams: (bits) => `SSLOpenSSLConfCmd DHParameters "/etc/ssl/dhparam-${bits}.pem"`,
  keyExchangeNotes: ['SSLOpenSSLConfCmd needs httpd 2.4.8 or later with OpenSSL 1.0.2 or later.'],
};

/** Postfix's smtpd_tls_* and tls_* settings (postconf(5), TLS_README). */
export const POSTFIX_SYNTAX: OpensslServerSyntax = {
  server: 'postfix',
  context: 'main.cf (then `postfix reload`)',
  serverOrder: 'tls_preempt_cipherlist = yes',
  curves: (curves) => `tls_eecdh_auto_curves = ${curves.join(' ')}`,
  dhParams: (bits) => `smtpd_tls_dh1024_param_file = \${config_directory}/dh${bits}.pem`,
  dhParamsCaveat: 'Despite its name, smtpd_tls_dh1024_param_file takes a group of any size.',
  keyExchangeNotes: [],
};
