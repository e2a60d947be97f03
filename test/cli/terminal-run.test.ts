/**
 * The run as a user at a terminal sees it (a real pseudo-terminal, read back through a terminal
 * emulator), and the outputs it leaves: progress, -q, -v, colour, several -o, merge as a converter.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { closedPort } from '../helpers/misbehaving-servers.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';
import { runInTerminal, terminalScreen } from '../helpers/terminal-screen.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-term-'));
const SAMPLE = 'fixtures/nmap/sample.xml';
const hasScript = spawnSync('script', ['--version']).status === 0;
const ANSI = /\x1b\[\d+m/;
/** The environment of a terminal with no colour preference: NO_COLOR and FORCE_COLOR unset. */
const plainEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'SSLLABS_EMAIL', 'SSLLABS_API_URL']) if (!(k in extra)) delete env[k];
  return env;
};
const inTerminal = (args: string[], extra: Record<string, string> = {}, size = { cols: 100, rows: 20 }) =>
  runInTerminal([process.execPath, BIN, ...args], { cwd: ROOT, env: plainEnv(extra), ...size });

describe('probe on a terminal', () => {
  let certs: TestCerts;
  let good: OpenSslServer;
  let old: OpenSslServer;
  let refused: number;

  beforeAll(async () => {
    certs = await makeTestCerts();
    [good, old] = await Promise.all([
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1', 'TLSv1.1'] }),
    ]);
    refused = await closedPort();
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), old?.stop()]);
    await certs?.cleanup();
  });

  it.skipIf(!hasScript)('draws targets in flight and a total line, then leaves the total and a summary of the files written', async () => {
    const html = join(dir, 'probe.html');
    const json = join(dir, 'probe.json');
    const targets = [`127.0.0.1:${good.port}`, `127.0.0.1:${old.port}`, `127.0.0.1:${refused}`];
    const r = await inTerminal(['probe', ...targets, '--timeout', '2s', '-o', html, '-o', json], {}, { cols: 200, rows: 20 });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(new RegExp(`127\\.0\\.0\\.1:${good.port}  probing`));
    expect(r.output).toMatch(/\d\/3 done/);
    const screen = await terminalScreen(r.output, 200, 20);
    expect(screen, JSON.stringify(screen)).toHaveLength(2);
    expect(screen[0]).toMatch(/^3\/3 done {2}1 pass {2}0 warn {2}1 fail {2}1 error( {2}[\d.]+\/s)?$/);
    expect(screen[1]).toBe(`3 targets: 1 pass, 0 warn, 1 fail, 1 error -> ${html}, ${json}`);
    // Assessed once, rendered twice: the same verdicts in both files.
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.targets.map((t) => t.verdict.status)).toEqual(['pass', 'fail', 'error']);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    for (const t of targets) expect(page).toContain(t.split(':')[1]);
  });

  it('-v prints each hello: protocol, suites offered and the answer', async () => {
    const r = await runCli(['probe', `127.0.0.1:${good.port}`, '-v', '--format', 'json'], { env: { SSLLABS_EMAIL: undefined } });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    const here = `tlsaudit: 127.0.0.1:${good.port}: `;
    expect(lines.every((l) => l.startsWith(here)), r.stderr).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/TLSv1\.2 hello, \d+ suites: accepted TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \(0xC02F\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/TLSv1\.3 hello, \d+ suites: refused with alert protocol_version$/));
    // As many lines as hellos: the probe counts its hellos in the run's notes.
    const notes = (JSON.parse(r.stdout) as Report).targets[0]!.runs!.flatMap((run) => run.notes ?? []).join(' ');
    const hellos = Number(/(\d+) ClientHellos/.exec(notes)?.[1]);
    expect(lines).toHaveLength(hellos);
  });

  it('-q prints nothing on stderr but errors: no summary, no notices', async () => {
    const out = join(dir, 'quiet.json');
    const q = await runCli(['probe', `127.0.0.1:${refused}`, '--timeout', '2s', '-q', '-o', out], { env: { SSLLABS_EMAIL: undefined } });
    expect(q.code).toBe(3);
    expect(q.stderr).toBe('');
    expect(existsSync(out)).toBe(true);
    const bad = await runCli(['probe', 'example.org:99999', '-q']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tlsaudit: .*example\.org:99999/);
  });
});

describe('colour', () => {
  it.skipIf(!hasScript)('the table is coloured on a terminal, and not with --no-color, NO_COLOR or FORCE_COLOR=0', async () => {
    const coloured = await inTerminal(['nmap', SAMPLE]);
    expect(coloured.code).toBe(1);
    expect(coloured.output).toMatch(ANSI);
    for (const [args, env] of [
      [['--no-color'], {}],
      [[], { NO_COLOR: '1' }],
      [[], { FORCE_COLOR: '0' }],
    ] as const) {
      const r = await inTerminal(['nmap', SAMPLE, ...args], env);
      expect(r.code).toBe(1);
      expect(r.output, JSON.stringify([args, env])).not.toMatch(ANSI);
    }
  });

  it('FORCE_COLOR colours the table through a pipe; a file written with -o never is', async () => {
    const piped = await runCli(['nmap', SAMPLE], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(piped.stdout).toMatch(ANSI);
    expect((await runCli(['nmap', SAMPLE], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } })).stdout).not.toMatch(ANSI);
    const txt = join(dir, 'forced.txt');
    await runCli(['nmap', SAMPLE, '-o', txt], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(readFileSync(txt, 'utf8')).not.toMatch(ANSI);
  });
});

describe('several outputs from one run', () => {
  it('renders each -o in the format its extension names', async () => {
    const names = ['all.html', 'all.json', 'all.sarif', 'all.csv', 'all.md', 'all.xml', 'all.txt'].map((n) => join(dir, n));
    const r = await runCli(['nmap', SAMPLE, ...names.flatMap((n) => ['-o', n])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> ${names.join(', ')}\n`);
    const [html, json, sarif, csv, md, junit, txt] = names.map((n) => readFileSync(n, 'utf8')) as [string, string, string, string, string, string, string];
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect((JSON.parse(json) as Report).targets).toHaveLength(7);
    expect(JSON.parse(sarif).version).toBe('2.1.0');
    expect(csv).toMatch(/^host,address,port/);
    expect(md).toMatch(/^# /);
    expect(junit).toMatch(/^<\?xml[^>]*>\s*<testsuites/);
    expect(txt).toMatch(/pass|fail/);
    expect(txt).not.toMatch(ANSI);
  });

  it('one -o takes --format over its extension; with several, --format or an unknown extension is refused before any work', async () => {
    const csvNamedJson = join(dir, 'really.json');
    expect((await runCli(['nmap', SAMPLE, '--format', 'csv', '-o', csvNamedJson])).code).toBe(1);
    expect(readFileSync(csvNamedJson, 'utf8')).toMatch(/^host,address,port/);
    for (const args of [
      ['--format', 'json', '-o', join(dir, 'x.html'), '-o', join(dir, 'x.json')],
      ['-o', join(dir, 'y.html'), '-o', join(dir, 'y.log')],
    ]) {
      const r = await runCli(['nmap', SAMPLE, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(args.at(-3)!)).toBe(false);
    }
  });
});

describe('merge with one input converts a report', () => {
  it('turns a JSON report into html and sarif with the same verdicts', async () => {
    const json = join(dir, 'source.json');
    expect((await runCli(['nmap', SAMPLE, '-o', json, '-q'])).code).toBe(1);
    const source = JSON.parse(readFileSync(json, 'utf8')) as Report;
    const html = join(dir, 'converted.html');
    const again = join(dir, 'converted.json');
    const r = await runCli(['merge', json, '-o', html, '-o', again]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> ${html}, ${again}\n`);
    const converted = JSON.parse(readFileSync(again, 'utf8')) as Report;
    // merge orders targets by name and port; the verdicts are what must not change.
    const verdicts = (rep: Report) => rep.targets.map((t) => `${t.host}:${t.port} ${t.verdict.status}`).sort();
    expect(verdicts(converted)).toEqual(verdicts(source));
    const page = readFileSync(html, 'utf8');
    for (const t of source.targets) expect(page).toContain(t.host);
  });
});
