/**
 * Runs the real nmap against loopback only. ssl-enum-ciphers' port rule matches well-known TLS ports or
 * services that -sV recognised, and test servers listen on random ports, so by default the script is
 * forced with "+" (it still yields nothing on a port that does not speak TLS). `serviceDetection`
 * runs -sV instead, which names the services (and lets the script use STARTTLS) but takes seconds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const NMAP = process.env.NMAP ?? '/usr/bin/nmap';

export interface NmapRunOptions {
  ports: readonly number[];
  /** -sV: identify services; the script then runs by its own port rule. */
  serviceDetection?: boolean;
  /** false: a plain port scan without ssl-enum-ciphers. */
  script?: boolean;
  /** false: let the script's own port rule decide (well-known TLS ports, STARTTLS ports). Default true. */
  forceScript?: boolean;
  /** Targets: loopback addresses or ranges (127.0.0.1, 127.0.0.10-14, ::1, localhost). Default 127.0.0.1. */
  targets?: readonly string[];
  extraArgs?: readonly string[];
}

export function nmapArgs(options: NmapRunOptions): string[] {
  const targets = options.targets ?? ['127.0.0.1'];
  for (const t of targets) {
    if (!/^127\.[\d.-]+$/.test(t) && t !== '::1' && t !== 'localhost') throw new Error(`nmap runs against loopback only, not ${t}`);
  }
  const args = ['-Pn', '-n', '-p', options.ports.join(',')];
  if (options.serviceDetection) args.push('-sV');
  if (options.script !== false) args.push('--script', options.serviceDetection || options.forceScript === false ? 'ssl-enum-ciphers' : '+ssl-enum-ciphers');
  if (targets.includes('::1')) args.push('-6');
  if (options.extraArgs) args.push(...options.extraArgs);
  args.push('-oX', '-', ...targets);
  return args;
}

/** The `-oX -` document nmap wrote. */
export async function runNmap(options: NmapRunOptions): Promise<string> {
  const { stdout } = await execFileAsync(NMAP, nmapArgs(options), { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
