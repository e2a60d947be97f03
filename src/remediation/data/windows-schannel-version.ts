import type { ProtocolVersion } from '../../model/protocol-version.js';

/** One suite as a Windows version's Schannel lists it. */
export interface WindowsSchannelSuite {
  /** The name Schannel uses there: the IANA name, with a curve suffix (_P256, _P384, _P521) before Windows 10. */
  readonly schannel: string;
  /** The IANA name, when it differs from `schannel` (the curve suffix removed). */
  readonly iana?: string;
  readonly enabledByDefault: boolean;
  readonly protocols: readonly ProtocolVersion[];
}

/** What one Windows version's Schannel can do, read from Microsoft's page for that version. */
export interface WindowsSchannelVersion {
  readonly id: string;
  readonly label: string;
  /** Microsoft's "TLS Cipher Suites in Windows ..." page the suites come from. */
  readonly page: string;
  /** Enable-/Disable-TlsCipherSuite and Enable-TlsEccCurve exist (Windows 10 / Server 2016 on). */
  readonly cmdlets: boolean;
  /** Schannel speaks TLS 1.3 (Windows 11 / Server 2022 on); its registry keys are safe to set only there. */
  readonly tls13: boolean;
  /** Suites are named once per curve (_P256, ...), as Windows 8.1 / Server 2012 R2 do. */
  readonly curveSuffixes: boolean;
  /** The Diffie-Hellman ServerMinKeyBitLength registry value exists (Windows 10 1507 / Server 2016 on). */
  readonly dhMinKeyBitLength: boolean;
  readonly suites: readonly WindowsSchannelSuite[];
}
