import { Command, Option } from 'commander';
import { checkDnsName, shortened } from '../../adapters/probe/target.js';
import { probeMany, STARTTLS_PROTOCOLS, parseTarget, formatTarget, type ProbeOptions, type ProbeTarget, type StartTlsProtocol } from '../../adapters/probe/index.js';
import type { TargetObservation } from '../../model/index.js';
import { UsageError } from '../../errors.js';
import { addReportOptions, emitReport, interruptSignal, positiveInteger, runCommand, type EmitContext, type ReportCliOptions } from '../common.js';
import { createProgress, type Progress } from '../progress.js';

export interface ProbeCliOptions extends ReportCliOptions {
  starttls?: StartTlsProtocol | 'none';
  sni?: string;
  timeout?: number;
}

/** --starttls, --sni and --timeout, shared by `probe` and `scan`. */
export function addProbeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--starttls <protocol>', 'upgrade with STARTTLS first (default: by port: 25/587 smtp, 143 imap, 110 pop3, 21 ftp, 5222 xmpp, 5432 postgres)').choices([
        ...STARTTLS_PROTOCOLS,
        'none',
      ]),
    )
    .option('--sni <name>', 'server name to send (default: the target name; none for IP addresses)')
    .option('--timeout <ms>', 'deadline for each handshake, in milliseconds (default: 5000; 15000 with STARTTLS)', positiveInteger('--timeout'));
}

export function probeOptionsFrom(opts: ProbeCliOptions, signal?: AbortSignal): ProbeOptions {
  const o: ProbeOptions = opts.timeout === undefined ? {} : { timeout: opts.timeout };
  if (opts.starttls) o.starttls = opts.starttls;
  if (opts.sni !== undefined) {
    checkDnsName(opts.sni, `--sni "${shortened(opts.sni)}" is not a server name`);
    o.sni = opts.sni;
  }
  if (opts.concurrency !== undefined) o.concurrency = opts.concurrency;
  if (signal) o.signal = signal;
  return o;
}

export function parseTargets(texts: readonly string[]): ProbeTarget[] {
  if (texts.length === 0) throw new UsageError('Give at least one target: HOST, HOST:PORT or [IPv6]:PORT.');
  return texts.map((t) => parseTarget(t));
}

export function probeCommand(): Command {
  const cmd = new Command('probe')
    .description('assess servers with the built-in TLS probe (no nmap, no SSL Labs needed)')
    .argument('<targets...>', 'HOST, HOST:PORT or [IPv6]:PORT (default port 443)');
  addProbeOptions(cmd);
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
The probe offers every cipher suite in IANA's registry with SSLv3 and TLS 1.0 to 1.3, drops each suite the
server picks and asks again, so it sees suites OpenSSL does not implement too. It reads the key exchange
group or DH size per suite, whose order decides, and the certificate. It reaches any port, private
addresses, and SMTP, IMAP, POP3, FTP, XMPP and PostgreSQL through STARTTLS.

Examples:
  tlsaudit probe www.example.org
  tlsaudit probe mail.example.org:25 10.0.0.5:8443 [2001:db8::5]:443
  tlsaudit probe --starttls imap mail.example.org:143 --format json -o mail.json
  tlsaudit probe 10.0.0.5 --sni portal.example.org --timeout 10000`,
  );
  cmd.action((targets: string[], opts: ProbeCliOptions) => runCommand(() => runProbe(targets, opts)));
  return cmd;
}

async function runProbe(texts: string[], opts: ProbeCliOptions): Promise<number> {
  const targets = parseTargets(texts);
  const signal = interruptSignal();
  const progress = createProgress();
  const context: EmitContext = { notices: [] };
  try {
    return await emitReport(withProgress(probeMany(targets, probeOptionsFrom(opts, signal)), targets, progress, signal, context), opts, context);
  } finally {
    progress.close();
  }
}

export async function* withProgress(
  observations: AsyncIterable<TargetObservation>,
  targets: readonly ProbeTarget[],
  progress: Progress,
  signal: AbortSignal,
  context: EmitContext,
): AsyncGenerator<TargetObservation> {
  for (const t of targets) progress.update(formatTarget(t.host, t.port), `${formatTarget(t.host, t.port)}  probing`);
  let done = 0;
  for await (const o of observations) {
    done++;
    progress.update(formatTarget(o.host, o.port), `${formatTarget(o.host, o.port)}  ${o.error ? 'error' : 'done'}`);
    yield o;
    if (signal.aborted) break;
  }
  if (signal.aborted && done < targets.length) {
    context.incomplete = true;
    context.notices?.push(`Interrupted: ${targets.length - done} target(s) not assessed.`);
  }
}
