import { UsageError } from '../../errors.js';
import { compareProtocolVersions, type ProtocolVersion } from '../../model/protocol-version.js';
import { groupByName, suiteByName } from '../../registry/index.js';
import type { Advice } from '../advice.js';
import {
  DEFAULT_WINDOWS_VERSION,
  SCHANNEL_CURVE_NAMES,
  SCHANNEL_PROTOCOLS_PATH,
  SCHANNEL_PROTOCOL_KEYS,
  SSL_CIPHER_ORDER_POLICY_PATH,
  WINDOWS_VERSION_IDS,
  schannelNamesOn,
  windowsVersion,
  type WindowsSchannelVersion,
} from '../data/windows-schannel.js';
import type { PlannedSuite, RemediationPlan } from '../plan-remediation.js';
import { protocolChangeTitle, protocolList } from './common.js';

export interface WindowsAdviceOptions {
  /** Which Windows the advice is for (2012r2, 2016, 2019, 2022, 2025, win10, win11); default the newest server. */
  windowsVersion?: string;
}

/** The names a Windows version's Schannel uses for a suite (one per curve on 2012 R2); empty when it lacks it. */
export function schannelNames(suite: Pick<PlannedSuite, 'name'>, version: string = DEFAULT_WINDOWS_VERSION): string[] {
  const v = windowsVersion(version);
  return v ? schannelNamesOn(v, suite.name).map((s) => s.schannel) : [];
}

/** The name Schannel uses for a suite on the newest Windows Server, or undefined when it does not implement it. */
export function schannelName(suite: Pick<PlannedSuite, 'name'>): string | undefined {
  return schannelNames(suite)[0];
}

const CONTEXT = 'an elevated Windows PowerShell on the server';
const RESTART = 'Schannel reads these settings at start-up: restart the server (or at least the services using TLS) afterwards.';

function protocolLines(version: ProtocolVersion, enabled: boolean): string[] {
  const key = `${SCHANNEL_PROTOCOLS_PATH}\\${SCHANNEL_PROTOCOL_KEYS[version]}\\Server`;
  return [
    `$key = '${key}'`,
    'New-Item -Path $key -Force | Out-Null',
    `New-ItemProperty -Path $key -Name 'Enabled' -Value ${enabled ? 1 : 0} -PropertyType DWord -Force | Out-Null`,
    `New-ItemProperty -Path $key -Name 'DisabledByDefault' -Value ${enabled ? 0 : 1} -PropertyType DWord -Force | Out-Null`,
  ];
}

const list = (names: readonly string[]) => names.join(', ');

function protocolAdvice(plan: RemediationPlan, v: WindowsSchannelVersion): Advice | undefined {
  if (plan.rules.protocols.length === 0) return undefined;
  const lines: string[] = [];
  const notes = [RESTART];
  for (const p of plan.disableProtocols) {
    // The TLS 1.3 keys are only safe where Schannel has TLS 1.3; an older Windows never offers it anyway.
    if (p === 'TLSv1.3' && !v.tls13) continue;
    lines.push(`# ${protocolList([p])}: off`, ...protocolLines(p, false));
  }
  for (const p of plan.enableProtocols) {
    if (p === 'TLSv1.3' && !v.tls13) {
      notes.unshift(
        `${v.label} has no TLS 1.3 (Schannel has it from Windows Server 2022 and Windows 11 on), so it cannot meet a rule that requires TLS 1.3: upgrade Windows, or terminate TLS on something that has it.`,
      );
      continue;
    }
    lines.push(`# ${protocolList([p])}: on`, ...protocolLines(p, true));
  }
  if (plan.enableProtocols.includes('TLSv1.2')) {
    notes.push('These keys turn TLS 1.2 on where it was switched off. .NET Framework applications may also need SchUseStrongCrypto.');
  }
  if (plan.disableProtocols.some((p) => compareProtocolVersions(p, 'TLSv1.2') < 0)) {
    notes.push(
      'Only the Server subkeys are set: outgoing connections (the Client subkeys) are not changed.',
      'Check first that every application on the server can use TLS 1.2 (older SQL Server and RDP builds could not).',
    );
  }
  return {
    server: 'windows',
    policy: plan.policy,
    rules: plan.rules.protocols,
    title: protocolChangeTitle(plan),
    snippet: { language: 'powershell', text: lines.length > 0 ? `${lines.join('\n')}\n` : '# Nothing this Windows version can change here; see the notes.\n', complete: true, context: CONTEXT },
    notes,
  };
}

/** Why this version cannot offer any of the suites the policy asks for, when it cannot. */
function cannotMeet(v: WindowsSchannelVersion, wanted: readonly PlannedSuite[], available: readonly PlannedSuite[]): string | undefined {
  if (wanted.length === 0 || available.length > 0) return undefined;
  const rsaOnly = wanted.every((s) => suiteByName(s.name)?.authentication === 'RSA');
  return `${v.label} cannot meet this policy${rsaOnly ? ' with an RSA certificate' : ''}: it has none of the suites the policy asks for here (${list(wanted.map((s) => s.name))}) under any name. Use a newer Windows${rsaOnly ? ' or an ECDSA certificate' : ''}, or terminate TLS on something that has them.`;
}

function suiteAdvice(plan: RemediationPlan, v: WindowsSchannelVersion): Advice | undefined {
  if (plan.rules.suites.length === 0) return undefined;
  const lines: string[] = [];
  const notes: string[] = [];
  const unknown = plan.disableSuites.filter((s) => schannelNamesOn(v, s.name).length === 0);
  const enable = plan.enableSuites.filter((s) => schannelNamesOn(v, s.name).length > 0);
  const missing = plan.enableSuites.filter((s) => schannelNamesOn(v, s.name).length === 0);

  if (v.cmdlets) {
    for (const s of plan.disableSuites) for (const n of schannelNamesOn(v, s.name)) lines.push(`Disable-TlsCipherSuite -Name '${n.schannel}'`);
    let position = 0;
    for (const s of enable) for (const n of schannelNamesOn(v, s.name)) lines.push(`Enable-TlsCipherSuite -Name '${n.schannel}' -Position ${position++}`);
    notes.push(`Written for ${v.label} (\`tlsaudit explain --windows-version\` picks another version). A suite order set by group policy overrides the TLS cmdlets.`);
  } else {
    // No cmdlets before Windows 10 / Server 2016: the whole order list of the group policy, in the
    // server's order, each ECDHE suite under its per-curve names.
    const order = [...plan.suites, ...(plan.tls13Suites ?? [])].flatMap((s) => schannelNamesOn(v, s.name).map((n) => n.schannel));
    if (order.length > 0) {
      lines.push(
        `$order = @(${order.map((n) => `'${n}'`).join(', ')}) -join ','`,
        `$key = '${SSL_CIPHER_ORDER_POLICY_PATH}'`,
        'New-Item -Path $key -Force | Out-Null',
        "New-ItemProperty -Path $key -Name 'Functions' -Value $order -PropertyType String -Force | Out-Null",
      );
    }
    notes.push(
      `${v.label} has no TLS cmdlets: this writes the list of the "SSL Cipher Suite Order" group policy (Computer Configuration > Administrative Templates > Network > SSL Configuration Settings), which can also be set there; suites not in the list are not used, and a domain group policy overrides it.`,
    );
    if (v.curveSuffixes) notes.push(`${v.label} names each ECDHE suite once per curve (_P256, _P384, _P521): the list keeps every curve variant the version has.`);
  }
  if (unknown.length > 0) {
    notes.push(
      `${v.label}'s Schannel does not implement ${list(unknown.map((s) => s.name))}: a server offering ${unknown.length === 1 ? 'it' : 'them'} is not Schannel itself (a proxy, load balancer or Java/OpenSSL application in front of Windows?), or not this Windows version; change that software instead.`,
    );
  }
  if (missing.length > 0 && enable.length > 0) notes.push(`${v.label} has no ${list(missing.map((s) => s.name))} under any name; the others are enough.`);
  const impossible = cannotMeet(v, plan.enableSuites, enable);
  if (impossible) notes.unshift(impossible);
  const offByDefault = enable.filter((s) => schannelNamesOn(v, s.name).every((n) => !n.enabledByDefault));
  if (offByDefault.length > 0) notes.push(`${v.label} supports ${list(offByDefault.map((s) => s.name))} but does not enable ${offByDefault.length === 1 ? 'it' : 'them'} by default; the change above turns ${offByDefault.length === 1 ? 'it' : 'them'} on.`);
  notes.push(RESTART);
  const title =
    lines.length === 0
      ? unknown.length > 0 && plan.enableSuites.length === 0
        ? 'The suites to change are not Schannel suites'
        : `What ${v.label} cannot do`
      : enable.length === 0
        ? 'Disable the cipher suites the policy forbids'
        : plan.disableSuites.length === 0
          ? 'Enable an approved cipher suite'
          : 'Disable the cipher suites the policy forbids and enable approved ones';
  const text = lines.length > 0 ? lines.join('\n') : v.cmdlets ? 'Get-TlsCipherSuite | Format-Table Name' : `Get-ItemProperty -Path '${SSL_CIPHER_ORDER_POLICY_PATH}' -Name Functions`;
  return { server: 'windows', policy: plan.policy, rules: plan.rules.suites, title, snippet: { language: 'powershell', text: `${text}\n`, complete: true, context: CONTEXT }, notes };
}

function keyExchangeAdvice(plan: RemediationPlan, v: WindowsSchannelVersion): Advice | undefined {
  if (plan.rules.keyExchange.length === 0) return undefined;
  const lines: string[] = [];
  const notes: string[] = [];
  if (plan.curves && plan.curves.length > 0) {
    if (v.cmdlets) {
      lines.push(`# Curves Schannel offers, in order`);
      plan.curves.forEach((c, i) => {
        const name = SCHANNEL_CURVE_NAMES[groupByName(c)?.name ?? c];
        if (name) lines.push(`Enable-TlsEccCurve -Name '${name}' -Position ${i}`);
      });
    } else {
      notes.push(`${v.label} has no curve cmdlets: the curve is the suffix of each ECDHE suite's name in the "SSL Cipher Suite Order" list; keep only the names for ${list(plan.curves)}.`);
    }
  }
  if (plan.minFfdhBits !== undefined) {
    if (v.dhMinKeyBitLength) {
      lines.push(
        "$key = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\KeyExchangeAlgorithms\\Diffie-Hellman'",
        'New-Item -Path $key -Force | Out-Null',
        `New-ItemProperty -Path $key -Name 'ServerMinKeyBitLength' -Value ${plan.minFfdhBits} -PropertyType DWord -Force | Out-Null`,
      );
    } else {
      notes.push(
        `The Diffie-Hellman ServerMinKeyBitLength value came with Windows 10 1507 and Windows Server 2016; on ${v.label} turn the DHE suites off instead.`,
      );
    }
  }
  notes.push(RESTART);
  return {
    server: 'windows',
    policy: plan.policy,
    rules: plan.rules.keyExchange,
    title: 'Use stronger key exchange groups',
    snippet: { language: 'powershell', text: `${lines.length > 0 ? lines.join('\n') : '# Nothing to run on this Windows version; see the notes.'}\n`, complete: true, context: CONTEXT },
    notes,
  };
}

/**
 * Schannel on one Windows version: protocol versions through the SCHANNEL\Protocols registry keys,
 * suites through the TLS PowerShell cmdlets (Windows 10 / Server 2016 on) or the cipher suite order
 * policy (2012 R2), naming only suites, curves and settings that version has.
 */
export function windowsAdvice(plan: RemediationPlan, options: WindowsAdviceOptions = {}): Advice[] {
  const id = options.windowsVersion ?? DEFAULT_WINDOWS_VERSION;
  const v = windowsVersion(id);
  if (!v) throw new UsageError(`Unknown Windows version '${id}'; known: ${WINDOWS_VERSION_IDS.join(', ')}.`);
  return [protocolAdvice(plan, v), suiteAdvice(plan, v), keyExchangeAdvice(plan, v)].filter((a): a is Advice => a !== undefined);
}
