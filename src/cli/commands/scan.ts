import { Command, Option } from 'commander';
import { scan, type ScanOptions } from '../../scan/index.js';
import type { SslLabsAssessOptions } from '../../adapters/ssllabs/index.js';
import { addReportOptions, emitReport, interruptSignal, positiveInteger, runCommand, warn, type EmitContext } from '../common.js';
import { createProgress } from '../progress.js';
import { addProbeOptions, parseTargets, probeOptionsFrom, withProgress, type ProbeCliOptions } from './probe.js';

interface ScanCliOptions extends ProbeCliOptions {
  apiUrl?: string;
  email?: string;
  fromCache?: boolean;
  maxAge?: number;
  pollInterval?: number;
}

export function scanCommand(): Command {
  const cmd = new Command('scan')
    .description('SSL Labs where it can serve, the built-in probe where it cannot')
    .argument('<targets...>', 'HOST, HOST:PORT or [IPv6]:PORT (default port 443)')
    .addOption(
      new Option('--api-url <url>', 'SSL Labs API base; one ending in /v3/ speaks API v3 (default: the public API v4)').env('SSLLABS_API_URL'),
    )
    .addOption(new Option('--email <address>', 'email registered with SSL Labs API v4; without it (and without a v3 URL) every target is probed').env('SSLLABS_EMAIL'))
    .option('--from-cache', 'accept a cached SSL Labs report instead of starting a new assessment')
    .option('--max-age <hours>', 'oldest cached SSL Labs report to accept, in hours (implies --from-cache)', positiveInteger('--max-age'))
    .addOption(new Option('--poll-interval <ms>', 'SSL Labs poll interval in ms').argParser(positiveInteger('--poll-interval')).hideHelp());
  addProbeOptions(cmd);
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
SSL Labs serves public host names on port 443 when its API is configured (--email, or a v3 --api-url).
The built-in probe serves IP addresses, private or loopback names, other ports, STARTTLS services, and
any host SSL Labs fails on. Each target's runs record which source served it and why ("reason").

Examples:
  SSLLABS_EMAIL=ada@example.org tlsaudit scan www.example.org mail.example.org:25 10.0.0.5:8443
  tlsaudit scan intranet.corp.example:443 --format json -o scan.json      (no email: probe only)
  tlsaudit scan --email ada@example.org --max-age 24 www.example.org portal.internal`,
  );
  cmd.action((targets: string[], opts: ScanCliOptions) => runCommand(() => runScan(targets, opts)));
  return cmd;
}

async function runScan(texts: string[], opts: ScanCliOptions): Promise<number> {
  const targets = parseTargets(texts);
  const signal = interruptSignal();
  const progress = createProgress();
  const context: EmitContext = { notices: [] };
  const sslLabs: SslLabsAssessOptions = {
    ...(opts.apiUrl !== undefined && { apiUrl: opts.apiUrl }),
    ...(opts.email !== undefined && { email: opts.email }),
    ...(opts.maxAge !== undefined && { maxAgeHours: opts.maxAge }),
    ...(opts.pollInterval !== undefined && { pollIntervalMs: { pending: opts.pollInterval, inProgress: opts.pollInterval } }),
    fromCache: opts.fromCache === true,
    onMessage: (message) => warn(message),
  };
  const options: ScanOptions = { ...probeOptionsFrom(opts, signal), sslLabs, onNotice: (message) => context.notices?.push(message) };
  try {
    return await emitReport(withProgress(scan(targets, options), targets, progress, signal, context), opts, context);
  } finally {
    progress.close();
  }
}
