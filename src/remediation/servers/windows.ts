import { compareProtocolVersions, type ProtocolVersion } from '../../model/protocol-version.js';
import type { Advice } from '../advice.js';
import { groupByName } from '../../registry/index.js';
import { LEGACY_CURVE_SUFFIXES, SCHANNEL_CURVE_NAMES, SCHANNEL_PROTOCOLS_PATH, SCHANNEL_PROTOCOL_KEYS, SCHANNEL_SUITES } from '../data/windows-schannel.js';
import type { PlannedSuite, RemediationPlan } from '../plan-remediation.js';
import { protocolChangeTitle, protocolList } from './common.js';

const BY_NAME = new Map(SCHANNEL_SUITES.map((s) => [s.name, s]));

/** The name Schannel uses for a suite, or undefined when Schannel does not implement it. */
export function schannelName(suite: Pick<PlannedSuite, 'name'>): string | undefined {
  return BY_NAME.has(suite.name) ? suite.name : undefined;
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

/**
 * Schannel: protocol versions through the SCHANNEL\Protocols registry keys, suites through the TLS
 * PowerShell module (Windows Server 2016 and later).
 */
export function windowsAdvice(plan: RemediationPlan): Advice[] {
  const out: Advice[] = [];
  const base = { server: 'windows' as const, policy: plan.policy };
  if (plan.rules.protocols.length > 0) {
    const lines: string[] = [];
    for (const v of plan.disableProtocols) lines.push(`# ${protocolList([v])}: off`, ...protocolLines(v, false));
    for (const v of plan.enableProtocols) lines.push(`# ${protocolList([v])}: on`, ...protocolLines(v, true));
    const notes = [RESTART];
    if (plan.enableProtocols.includes('TLSv1.3')) notes.push('Schannel supports TLS 1.3 from Windows Server 2022 on; older Windows cannot meet this.');
    if (plan.enableProtocols.includes('TLSv1.2')) {
      notes.push('Windows Server 2008 R2 implements TLS 1.2 but leaves it off; these keys turn it on. .NET Framework applications may also need SchUseStrongCrypto.');
    }
    if (plan.disableProtocols.some((v) => compareProtocolVersions(v, 'TLSv1.2') < 0)) {
      notes.push(
        'Only the Server subkeys are set: outgoing connections (the Client subkeys) are not changed.',
        'Check first that every application on the server can use TLS 1.2 (older SQL Server and RDP builds could not).',
      );
    }
    out.push({
      ...base,
      rules: plan.rules.protocols,
      title: protocolChangeTitle(plan),
      snippet: { language: 'powershell', text: `${lines.join('\n')}\n`, complete: true, context: CONTEXT },
      notes,
    });
  }
  if (plan.rules.suites.length > 0) {
    const lines: string[] = [];
    const notes: string[] = [];
    const unknown: string[] = [];
    for (const s of plan.disableSuites) {
      const name = schannelName(s);
      if (name) lines.push(`Disable-TlsCipherSuite -Name '${name}'`);
      else unknown.push(s.name);
    }
    const enable = plan.enableSuites.filter((s) => schannelName(s));
    enable.forEach((s, i) => lines.push(`Enable-TlsCipherSuite -Name '${s.name}' -Position ${i}`));
    if (unknown.length > 0) {
      notes.push(
        `Schannel does not implement ${unknown.join(', ')}: a server offering ${unknown.length === 1 ? 'it' : 'them'} is not Schannel itself (a proxy, load balancer or Java/OpenSSL application in front of Windows?); change that software instead.`,
      );
    }
    const noWindows = plan.enableSuites.filter((s) => !schannelName(s));
    if (noWindows.length > 0 && enable.length === 0) {
      notes.push(`None of the suites to enable (${noWindows.map((s) => s.name).join(', ')}) is implemented by Schannel.`);
    }
    const ecdhe = enable.filter((s) => s.name.startsWith('TLS_ECDHE_'));
    if (ecdhe.length > 0) {
      notes.push(
        `Windows Server 2012 R2 and older have no TLS cmdlets; there, add the suites to the "SSL Cipher Suite Order" group policy, where ECDHE suites carry a curve suffix (e.g. ${ecdhe[0]!.name}${LEGACY_CURVE_SUFFIXES[0]}, ${ecdhe[0]!.name}${LEGACY_CURVE_SUFFIXES[1]}).`,
      );
    }
    notes.push('The TLS cmdlets exist on Windows Server 2016 and later. A suite order set by group policy overrides them.', RESTART);
    if (lines.length > 0) {
      out.push({
        ...base,
        rules: plan.rules.suites,
        title:
          enable.length === 0
            ? 'Disable the cipher suites the policy forbids'
            : plan.disableSuites.length === 0
              ? 'Enable an approved cipher suite'
              : 'Disable the cipher suites the policy forbids and enable approved ones',
        snippet: { language: 'powershell', text: `${lines.join('\n')}\n`, complete: true, context: CONTEXT },
        notes,
      });
    } else if (unknown.length > 0 || noWindows.length > 0) {
      out.push({
        ...base,
        rules: plan.rules.suites,
        title: 'The suites to change are not Schannel suites',
        snippet: { language: 'powershell', text: 'Get-TlsCipherSuite | Format-Table Name\n', complete: true, context: CONTEXT },
        notes,
      });
    }
  }
  if (plan.rules.keyExchange.length > 0) {
    const lines: string[] = [];
    if (plan.curves && plan.curves.length > 0) {
      lines.push('# Curves Schannel offers, in order (Windows Server 2016 and later)');
      plan.curves.forEach((c, i) => {
        const name = SCHANNEL_CURVE_NAMES[groupByName(c)?.name ?? c];
        if (name) lines.push(`Enable-TlsEccCurve -Name '${name}' -Position ${i}`);
      });
    }
    if (plan.minFfdhBits !== undefined) {
      lines.push(
        "$key = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\KeyExchangeAlgorithms\\Diffie-Hellman'",
        'New-Item -Path $key -Force | Out-Null',
        `New-ItemProperty -Path $key -Name 'ServerMinKeyBitLength' -Value ${plan.minFfdhBits} -PropertyType DWord -Force | Out-Null`,
      );
    }
    out.push({
      ...base,
      rules: plan.rules.keyExchange,
      title: 'Use stronger key exchange groups',
      snippet: { language: 'powershell', text: `${lines.join('\n')}\n`, complete: true, context: CONTEXT },
      notes: [RESTART],
    });
  }
  return out;
}
