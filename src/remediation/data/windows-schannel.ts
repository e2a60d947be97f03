/**
 * What Windows' Schannel knows, as data. Sources: Microsoft Learn, "TLS Cipher Suites in Windows Server
 * 2022 and later" (and the Windows Server 2016/2019 and Windows 10 pages of the "Cipher Suites in
 * TLS/SSL (Schannel SSP)" set), and "Transport Layer Security (TLS) registry settings".
 *
 * Windows 10 / Server 2016 and later name suites by their IANA names, which is what the TLS PowerShell
 * module's Enable-TlsCipherSuite / Disable-TlsCipherSuite take. Windows 8.1 / Server 2012 R2 and older
 * instead listed ECDHE suites once per curve with a suffix (TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384)
 * in the "SSL Cipher Suite Order" group policy and had no such cmdlets.
 */

export interface SchannelSuite {
  /** The name Schannel uses (the IANA name). */
  readonly name: string;
  /** Enabled in the default priority list of Windows Server 2022. */
  readonly enabledByDefault: boolean;
  /** TLS 1.3 suites need Windows Server 2022 or later. */
  readonly tls13?: boolean;
}

/** The suites Schannel implements on Windows Server 2022 (the superset of 2016 and 2019 for TLS 1.2). */
export const SCHANNEL_SUITES: readonly SchannelSuite[] = [
  { name: 'TLS_AES_256_GCM_SHA384', enabledByDefault: true, tls13: true },
  { name: 'TLS_AES_128_GCM_SHA256', enabledByDefault: true, tls13: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', enabledByDefault: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', enabledByDefault: true },
  { name: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', enabledByDefault: true },
  { name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', enabledByDefault: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', enabledByDefault: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', enabledByDefault: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_256_GCM_SHA384', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_128_GCM_SHA256', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_256_CBC_SHA256', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_128_CBC_SHA256', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_256_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_AES_128_CBC_SHA', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_NULL_SHA256', enabledByDefault: true },
  { name: 'TLS_RSA_WITH_NULL_SHA', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_AES_256_GCM_SHA384', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_AES_128_GCM_SHA256', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_AES_256_CBC_SHA384', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_AES_128_CBC_SHA256', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_NULL_SHA384', enabledByDefault: true },
  { name: 'TLS_PSK_WITH_NULL_SHA256', enabledByDefault: true },
  { name: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_RSA_WITH_RC4_128_SHA', enabledByDefault: false },
  { name: 'TLS_RSA_WITH_RC4_128_MD5', enabledByDefault: false },
  { name: 'TLS_RSA_WITH_DES_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_DHE_DSS_WITH_DES_CBC_SHA', enabledByDefault: false },
  { name: 'TLS_RSA_WITH_NULL_MD5', enabledByDefault: false },
  { name: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', enabledByDefault: false },
];

/** Curve suffixes Windows 8.1 / Server 2012 R2 and older append to ECDHE suite names in the cipher order policy. */
export const LEGACY_CURVE_SUFFIXES = ['_P256', '_P384', '_P521'] as const;

/**
 * The SCHANNEL\Protocols subkey for each protocol version (the "Transport Layer Security (TLS) registry
 * settings" page). Each has Client and Server subkeys with DWORDs Enabled and DisabledByDefault.
 */
export const SCHANNEL_PROTOCOL_KEYS = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  'TLSv1.0': 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
} as const;

export const SCHANNEL_PROTOCOLS_PATH = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols';

/** Schannel's names for curves (Get-TlsEccCurve), by IANA group name. */
export const SCHANNEL_CURVE_NAMES: Readonly<Record<string, string>> = {
  x25519: 'curve25519',
  secp256r1: 'NistP256',
  secp384r1: 'NistP384',
  secp521r1: 'NistP521',
};
