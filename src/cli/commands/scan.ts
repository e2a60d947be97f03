import { Command, Option } from 'commander';
import { scan, type Route, type ScanOptions } from '../../scan/index.js';
import type { SslLabsAssessOptions } from '../../adapters/ssllabs/index.js';
import { createHostLimiter } from '../../adapters/probe/index.js';
import type { TargetObservation } from '../../model/index.js';
import { addReportOptions, interruptSignal, positiveInteger, runCommand, warn } from '../common.js';
import { addTargetOptions, openTargets } from '../target-input.js';
import { addProbeOptions, probeOptionsFrom, runSweep, type ProbeCliOptions } from './probe.js';

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
    .argument('[targets...]', 'HOST, HOST:PORT, [IPv6]:PORT, CIDR, URL (smtp://HOST) or NAME=ADDRESS (default port 443)')
    .addOption(
      new Option('--api-url <url>', 'SSL Labs API base; one ending in /v3/ speaks API v3 (default: the public API v4)').env('SSLLABS_API_URL'),
    )
    .addOption(new Option('--email <address>', 'email registered with SSL Labs API v4; without it (and without a v3 URL) every target is probed').env('SSLLABS_EMAIL'))
    .option('--from-cache', 'accept a cached SSL Labs report instead of starting a new assessment')
    .option('--max-age <hours>', 'oldest cached SSL Labs report to accept, in hours (implies --from-cache)', positiveInteger('--max-age'))
    .addOption(new Option('--poll-interval <ms>', 'SSL Labs poll interval in ms').argParser(positiveInteger('--poll-interval')).hideHelp());
  addTargetOptions(cmd);
  addProbeOptions(cmd);
  addReportOptions(cmd, { concurrency: '4' });
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
  const run = await openTargets(texts, opts);
  const signal = interruptSignal();
  const sslLabs: SslLabsAssessOptions = {
    ...(opts.apiUrl !== undefined && { apiUrl: opts.apiUrl }),
    ...(opts.email !== undefined && { email: opts.email }),
    ...(opts.maxAge !== undefined && { maxAgeHours: opts.maxAge }),
    ...(opts.pollInterval !== undefined && { pollIntervalMs: { pending: opts.pollInterval, inProgress: opts.pollInterval } }),
    ...(opts.proxy !== undefined && { proxy: opts.proxy }),
    fromCache: opts.fromCache === true,
    onMessage: (message) => warn(message),
  };
  const probeOptions = probeOptionsFrom(opts, signal);
  const options: ScanOptions = { ...probeOptions, sslLabs, hostLimiter: createHostLimiter(probeOptions.maxConnectionsPerHost ?? 5), concurrency: 1 };
  return runSweep(run, opts, signal, async (t, activity) => {
    const out: TargetObservation[] = [];
    const onRoute = (_: unknown, route: Route) => activity(route.source === 'ssllabs' ? 'waiting for SSL Labs' : 'probing');
    for await (const o of scan([t], { ...options, onRoute })) out.push(o);
    return out;
  });
}
