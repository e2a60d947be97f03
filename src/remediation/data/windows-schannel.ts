import { WINDOWS_SCHANNEL_VERSIONS } from './windows-schannel.generated.js';
import type { WindowsSchannelSuite, WindowsSchannelVersion } from './windows-schannel-version.js';

/**
 * What Windows' Schannel knows, per version, as data: the suites of each version (generated from
 * Microsoft Learn's per-version "TLS Cipher Suites in Windows ..." pages, copies in
 * fixtures/sources/windows/), and the registry keys of "Transport Layer Security (TLS) registry settings".
 *
 * Windows 10 / Server 2016 and later name suites by their IANA names, which is what the TLS PowerShell
 * module's Enable-TlsCipherSuite / Disable-TlsCipherSuite take. Windows 8.1 / Server 2012 R2 instead
 * list ECDHE suites once per curve with a suffix (TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384) in the
 * "SSL Cipher Suite Order" group policy and have no such cmdlets.
 */
export { WINDOWS_SCHANNEL_VERSIONS };
export type { WindowsSchannelSuite, WindowsSchannelVersion };

/** The version ids, oldest server first: 2012r2, 2016, 2019, 2022, 2025, win10, win11. */
export const WINDOWS_VERSION_IDS: readonly string[] = WINDOWS_SCHANNEL_VERSIONS.map((v) => v.id);

/** Advice is written for the newest Windows Server unless a version is chosen. */
export const DEFAULT_WINDOWS_VERSION = '2025';

export function windowsVersion(id: string = DEFAULT_WINDOWS_VERSION): WindowsSchannelVersion | undefined {
  return WINDOWS_SCHANNEL_VERSIONS.find((v) => v.id === id);
}

/** Every name a version's Schannel has for an IANA suite: one, or one per curve on 2012 R2; none when it lacks it. */
export function schannelNamesOn(version: WindowsSchannelVersion, iana: string): WindowsSchannelSuite[] {
  return version.suites.filter((s) => (s.iana ?? s.schannel) === iana);
}

/** Curve suffixes Windows 8.1 / Server 2012 R2 and older append to ECDHE suite names in the cipher order policy. */
export const LEGACY_CURVE_SUFFIXES = ['_P256', '_P384', '_P521'] as const;

/**
 * Where the "SSL Cipher Suite Order" group policy keeps its list: a comma-separated REG_SZ `Functions`.
 * On 2012 R2, without the TLS cmdlets, this is how a script sets the order; a domain policy overrides it.
 */
export const SSL_CIPHER_ORDER_POLICY_PATH = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002';

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
