/**
 * Code points the codec speaks, as data (IANA "TLS Parameters" and "TLS ExtensionType Values" registries,
 * RFC 8446 §4.2, RFC 5246 §7.2). Reverse maps are derived, never typed twice.
 */

function reverse<K extends string>(table: Readonly<Record<K, number>>): ReadonlyMap<number, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as number, k as K]));
}

export const CONTENT_TYPES = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  heartbeat: 24,
} as const;
export type ContentTypeName = keyof typeof CONTENT_TYPES;
export const CONTENT_TYPE_NAMES = reverse<ContentTypeName>(CONTENT_TYPES);

export const HANDSHAKE_TYPES = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  certificate_status: 22,
  key_update: 24,
  message_hash: 254,
} as const;
export type HandshakeTypeName = keyof typeof HANDSHAKE_TYPES;
export const HANDSHAKE_TYPE_NAMES = reverse<HandshakeTypeName>(HANDSHAKE_TYPES);

export const EXTENSION_TYPES = {
  server_name: 0,
  max_fragment_length: 1,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  signature_algorithms_cert: 50,
  key_share: 51,
  renegotiation_info: 0xff01,
} as const;
export type ExtensionTypeName = keyof typeof EXTENSION_TYPES;
export const EXTENSION_TYPE_NAMES = reverse<ExtensionTypeName>(EXTENSION_TYPES);

export const ALERT_LEVELS = { warning: 1, fatal: 2 } as const;

export const ALERT_DESCRIPTIONS = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  decryption_failed: 21,
  record_overflow: 22,
  decompression_failure: 30,
  handshake_failure: 40,
  no_certificate: 41,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  export_restriction: 60,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86,
  user_canceled: 90,
  no_renegotiation: 100,
  missing_extension: 109,
  unsupported_extension: 110,
  certificate_unobtainable: 111,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  bad_certificate_hash_value: 114,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;
export type AlertDescriptionName = keyof typeof ALERT_DESCRIPTIONS;
export const ALERT_DESCRIPTION_NAMES = reverse<AlertDescriptionName>(ALERT_DESCRIPTIONS);

/**
 * Signature schemes offered in signature_algorithms (RFC 8446 §4.2.3 plus the TLS 1.2 hash/signature
 * pairs of RFC 5246 §7.4.1.4.1 that older servers still need to pick a suite).
 */
export const SIGNATURE_SCHEMES = {
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
  ecdsa_brainpoolP256r1tls13_sha256: 0x081a,
  ecdsa_brainpoolP384r1tls13_sha384: 0x081b,
  ecdsa_brainpoolP512r1tls13_sha512: 0x081c,
  sha224_ecdsa: 0x0303,
  sha224_rsa: 0x0301,
  sha224_dsa: 0x0302,
  dsa_sha256: 0x0402,
  dsa_sha384: 0x0502,
  dsa_sha512: 0x0602,
  ecdsa_sha1: 0x0203,
  rsa_pkcs1_sha1: 0x0201,
  dsa_sha1: 0x0202,
} as const;
export type SignatureSchemeName = keyof typeof SIGNATURE_SCHEMES;
export const SIGNATURE_SCHEME_NAMES = reverse<SignatureSchemeName>(SIGNATURE_SCHEMES);

/** The renegotiation SCSV (RFC 5746 §3.3) and fallback SCSV (RFC 7507): signals, never negotiated. */
export const SCSV_SUITES: readonly number[] = [0x00ff, 0x5600];

/** ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from(
  Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'),
);

/** TLSPlaintext.length limit is 2^14; TLSCiphertext may add 2048 (RFC 5246 §6.2.3). Anything above is hostile. */
export const MAX_RECORD_LENGTH = 2 ** 14 + 2048;

export const GROUP_X25519 = 0x001d;
export const GROUP_SECP256R1 = 0x0017;
