import type { ProtocolVersion } from '../../model/protocol-version.js';

/**
 * How each server spells protocol versions in its configuration. nginx: ngx_http_ssl_module
 * `ssl_protocols`; Apache httpd: mod_ssl `SSLProtocol`; Postfix: `smtpd_tls_protocols` (postconf(5)).
 * Undefined where the server (as built against current OpenSSL) has no such switch.
 */
export const NGINX_PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string>> = {
  SSLv2: 'SSLv2',
  SSLv3: 'SSLv3',
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

export const APACHE_PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string | undefined>> = {
  // mod_ssl 2.4 dropped SSLv2 altogether; `-all` already excludes it.
  SSLv2: undefined,
  SSLv3: 'SSLv3',
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

export const POSTFIX_PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string>> = {
  SSLv2: 'SSLv2',
  SSLv3: 'SSLv3',
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

/** The elliptic curves to name when a policy lists none: Mozilla's tls_curves (guidelines 5.7). */
export const DEFAULT_CURVES = ['X25519', 'prime256v1', 'secp384r1'] as const;
