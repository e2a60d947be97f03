import { Command, Option } from 'commander';
import { checkDnsName, shortened } from '../../adapters/probe/target.js';
import { allowTargetListeners } from '../../adapters/probe/probe.js';
import { concurrencyThatFits } from '../../adapters/probe/file-budget.js';
import { createHostLimiter, loadTrustStore, probe, STARTTLS_PROTOCOLS, type ProbeOptions, type StartTlsProtocol } from '../../adapters/probe/index.js';
import type { TargetObservation } from '../../model/index.js';
import { sweep } from '../../sweep/sweep.js';
import { parseHttpProxy } from '../../adapters/probe/http-proxy.js';
import { UsageError } from '../../errors.js';
import { describeTarget } from '../../targets/index.js';
import type { ProbeTarget } from '../../adapters/probe/target.js';
import { addReportOptions, emitReport, interruptSignal, runCommand, verbose, verboseWanted, warn, type EmitContext, type ReportCliOptions } from '../common.js';
import { describeHello } from '../../adapters/probe/describe-hello.js';
import { formatTarget } from '../../adapters/probe/target.js';
import { parseDuration } from '../duration.js';
import { createProgress } from '../progress.js';
import { addTargetOptions, openTargets, type TargetCliOptions, type TargetRun } from '../target-input.js';

export interface ProbeCliOptions extends ReportCliOptions, TargetCliOptions {
  starttls?: StartTlsProtocol | 'none';
  sni?: string;
  timeout?: number;
  caFile?: string;
  proxy?: string;
}

/** --starttls, --sni and --timeout, shared by `probe` and `scan`. */
export function addProbeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--starttls <protocol>', 'upgrade to TLS first (default: by port: 25/587 smtp, 143 imap, 110 pop3, 21 ftp, 5222 xmpp, 5432 postgres, 24 lmtp, 119 nntp, 389/3268 ldap, 1433 mssql, 3306 mysql, 3389 rdp)').choices([
        ...STARTTLS_PROTOCOLS,
        'none',
      ]),
    )
    .option('--sni <name>', 'server name to send (default: the target name; none for IP addresses)')
    .option('--proxy <url>', 'tunnel every connection through this HTTP proxy with CONNECT (http://[user:password@]HOST:PORT)')
    .option('--timeout <duration>', 'deadline for each handshake: 5s, 500ms, 2m; a bare number is milliseconds (default: 5s; 15s with STARTTLS)', parseDuration('--timeout'))
    .option('--ca-file <file>', "PEM roots to judge certificate trust against instead of Node's bundled Mozilla roots (a private PKI)");
}

export function probeOptionsFrom(opts: ProbeCliOptions, signal?: AbortSignal): ProbeOptions {
  const o: ProbeOptions = opts.timeout === undefined ? {} : { timeout: opts.timeout };
  if (opts.starttls) o.starttls = opts.starttls;
  if (opts.sni !== undefined) {
    checkDnsName(opts.sni, `--sni "${shortened(opts.sni)}" is not a server name`);
    o.sni = opts.sni;
  }
  if (opts.concurrency !== undefined) o.concurrency = opts.concurrency;
  if (opts.caFile !== undefined) o.trustStore = loadTrustStore(opts.caFile);
  if (signal) o.signal = signal;
  if (opts.proxy !== undefined) o.proxy = parseHttpProxy(opts.proxy);
  if (verboseWanted()) o.onHello = (target, event) => verbose(`${formatTarget(target.host, target.port)}: ${describeHello(event)}`);
  return o;
}

export function probeCommand(): Command {
  const cmd = new Command('probe')
    .description('assess servers with the built-in TLS probe (no nmap, no SSL Labs needed)')
    .argument('[targets...]', 'HOST, HOST:PORT, [IPv6]:PORT, CIDR, URL (smtp://HOST) or NAME=ADDRESS (default port 443)');
  addTargetOptions(cmd);
  addProbeOptions(cmd);
  addReportOptions(cmd, { concurrency: '4' });
  cmd.addHelpText(
    'after',
    `
The probe offers every cipher suite in IANA's registry with SSLv3 and TLS 1.0 to 1.3, drops each suite the
server picks and asks again, so it sees suites OpenSSL does not implement too. It reads the key exchange
group or DH size per suite, whose order decides, and the certificate. It reaches any port, private
addresses, and SMTP, IMAP, POP3, FTP, XMPP, PostgreSQL, LMTP, NNTP, LDAP, MySQL, MSSQL and RDP through their
upgrade to TLS (STARTTLS and its kin).

Examples:
  tlsaudit probe www.example.org
  tlsaudit probe mail.example.org:25 10.0.0.5:8443 [2001:db8::5]:443
  tlsaudit probe --starttls imap mail.example.org:143 --format json -o mail.json
  tlsaudit probe 10.0.0.5 --sni portal.example.org --timeout 10s
  tlsaudit probe portal.example.org=10.0.0.5 smtp://mail.example.org imaps://mail.example.org
  tlsaudit probe 10.20.0.0/24 -iL more-hosts.txt --exclude 10.20.0.1 --format json -o fleet.json
  nmap -sV -oX found.xml 10.20.0.0/24 && tlsaudit probe --from-nmap found.xml
  tlsaudit probe -iL fleet.txt --shard 3/8 --resume shard3.jsonl --format json -o shard3.json
  tlsaudit probe --policy certificates --strict www.example.org   # exit 1 if broken or expiring in 30 days
  tlsaudit probe --policy certificates --ca-file corp-root.pem intranet.corp:443`,
  );
  cmd.action((targets: string[], opts: ProbeCliOptions) => runCommand(() => runProbe(targets, opts)));
  return cmd;
}

async function runProbe(texts: string[], opts: ProbeCliOptions): Promise<number> {
  const run = await openTargets(texts, opts);
  const signal = interruptSignal();
  const options = probeOptionsFrom(opts, signal);
  const hostLimiter = createHostLimiter(options.maxConnectionsPerHost ?? 5);
  return runSweep(run, opts, signal, async (t) => [await probe(t, { ...options, hostLimiter })]);
}

/**
 * Streams a run's targets through `assess` (with its resume file), shows a sweep's progress on a
 * terminal and writes the report; shared by probe and scan.
 */
export async function runSweep(
  run: TargetRun,
  opts: ReportCliOptions,
  signal: AbortSignal,
  /** Assesses one target; `activity` changes what its progress line says it is doing (default "probing"). */
  assess: (target: ProbeTarget, activity: (what: string) => void) => Promise<TargetObservation[]>,
): Promise<number> {
  const progress = createProgress();
  const context: EmitContext = { notices: [], progress };
  // Each target holds up to 5 sockets at once (the per-host cap); more targets than the open-file limit
  // allows only turns working servers into EMFILE errors.
  const wanted = opts.concurrency ?? 4;
  const fit = concurrencyThatFits(wanted, 5);
  if (fit.concurrency < wanted) context.notices?.push(`concurrency lowered from ${wanted} to ${fit.concurrency}: ${fit.reason}`);
  allowTargetListeners(signal, fit.concurrency);
  const count = () => progress.total(run.targets.count, run.targets.exhausted);
  const observations = sweep(run.targets, (t) => assess(t.target, (what) => progress.update(t.key, `${describeTarget(t.target)}  ${what}`)), {
    concurrency: fit.concurrency,
    ...(run.resume && { resume: run.resume }),
    signal,
    onStart: (t) => {
      count();
      progress.update(t.key, `${describeTarget(t.target)}  probing`);
    },
    onDone: (t) => {
      progress.remove(t.key);
      count();
    },
  });
  async function* withNotices(): AsyncGenerator<TargetObservation> {
    let cut = 0;
    // After Ctrl-C the rest still come through, at once: the interrupted ones with what they saw, the
    // unstarted ones as errors, so every target asked for is in the report.
    for await (const o of observations) {
      if (signal.aborted && o.error !== undefined) cut++;
      yield o;
    }
    const t = run.targets;
    if (t.count + t.duplicates + t.excluded + t.otherShards === 0) throw new UsageError('No targets: the lists given hold none.');
    context.notices?.push(...run.notices());
    const shard = t.shardSummary();
    if (shard) warn(shard);
    if (signal.aborted) {
      context.incomplete = true;
      context.notices?.push(`Interrupted: ${cut} target(s) not assessed${run.resume ? `; run again with --resume ${run.resume.path} to go on` : ''}.`);
    }
  }
  try {
    return await emitReport(withNotices(), opts, context);
  } finally {
    progress.close();
    run.close();
  }
}
