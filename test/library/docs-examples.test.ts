/**
 * Every example in docs/library.md, run as a user's ESM script would run it: `node --input-type=module -e`
 * from the repository root, importing 'tlsaudit' through the package's `exports` (the built dist/). The
 * examples use bundled fixtures, a TLS server on 127.0.0.1 (openssl s_server) and an SSL Labs API on
 * 127.0.0.1; each prints one JSON line, checked here.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SslLabsHost } from '../../src/adapters/ssllabs/api-types.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';
import { ROOT } from '../helpers/run-cli.js';
import { startFakeSslLabs, type FakeSslLabs } from '../helpers/ssllabs-server.js';

const run = promisify(execFile);
const EMAIL = 'auditor@example.org';

/** The examples of docs/library.md by name: each is a ```js block after `<!-- example: NAME -->`. */
function docExamples(markdown: string): Map<string, string> {
  const examples = new Map<string, string>();
  for (const m of markdown.matchAll(/<!-- example: ([a-z-]+) -->\n```js\n([\s\S]*?)\n```/g)) {
    if (examples.has(m[1]!)) throw new Error(`docs/library.md has two examples named ${m[1]}`);
    examples.set(m[1]!, m[2]!);
  }
  return examples;
}

const examples = docExamples(readFileSync(`${ROOT}docs/library.md`, 'utf8'));

let certs: TestCerts;
let server: OpenSslServer;
let sslLabs: FakeSslLabs;

beforeAll(async () => {
  certs = await makeTestCerts();
  server = await startOpenSslServer({ cert: certs.rsa });
  const recorded = (JSON.parse(readFileSync(`${ROOT}fixtures/ssllabs/defectdojo-ok-mevitae-v3.json`, 'utf8')) as SslLabsHost[])[0]!;
  // No DNS or IN_PROGRESS phase: the first poll is READY, so the example needs none of the API's 5-10 s waits.
  sslLabs = await startFakeSslLabs({ registered: [EMAIL], hosts: { 'example.test': { report: recorded, dnsPolls: 0, inProgressPolls: 0 } } });
});

afterAll(async () => {
  await server?.stop();
  await sslLabs?.close();
  await certs?.cleanup();
});

async function runExample(name: string): Promise<unknown> {
  const code = examples.get(name);
  if (code === undefined) throw new Error(`docs/library.md has no example named ${name}`);
  const env = { ...process.env, TARGET: `127.0.0.1:${server.port}`, SSLLABS_API_URL: sslLabs.url, SSLLABS_EMAIL: EMAIL };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env });
  return JSON.parse(stdout);
}

type Check = (out: any) => void;

/** What each example prints, given the fixtures and the servers above. */
const CHECKS: Record<string, Check> = {
  nmap: (out) => {
    // The README's numbers for fixtures/nmap/sample.xml; the skipped port is the open one without TLS.
    expect(out).toMatchObject({ targets: 7, skipped: 1, summary: { pass: 3, warn: 2, fail: 2, error: 0 }, exit: 1, fromStream: 1 });
    expect(out.fromFile).toHaveLength(3);
  },
  ssllabs: (out) => {
    expect(out.saved).toEqual([['ssllabs']]);
    expect(out.live).toEqual([expect.stringMatching(/^example\.test /)]);
    expect(out.sawReady).toBe(true);
    // 3DES is a fail under Dataverse; the recorded mevitae answer passes.
    expect(out.statuses).toEqual(['fail', 'pass']);
  },
  probe: (out) => {
    // s_server with OpenSSL's defaults: TLS 1.2 and 1.3 only.
    expect(out.protocols).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(out.suites).toBeGreaterThan(3);
    expect(out.certificate).toBe(true);
    // Port 1 on loopback refuses: an observation with `error`, not an exception.
    expect(out.many).toEqual(['ok', 'error']);
    // A loopback address is never sent to SSL Labs.
    expect(out.scanned).toEqual([['probe']]);
  },
  import: (out) => {
    expect(out.kinds).toEqual({
      'fixtures/testssl/defectdojo-demo.csv': 'testssl-csv: 1',
      'fixtures/sslyze/defectdojo-two-targets-3.0.7.json': 'sslyze: 2',
      'fixtures/nmap/sample.xml': 'nmap: 7',
      'fixtures/reports/nmap-internal.json': 'report: 6',
    });
    expect(out.direct).toEqual({ testssl: 1, sslyze: 2, sslscan: 1 });
  },
  targets: (out) => {
    expect(out.entry).toEqual({ kind: 'target', target: { host: '127.0.0.1', port: 2525, starttls: 'smtp' } });
    expect(out.range).toEqual(['127.0.0.0', '127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(out.targets).toEqual(['127.0.0.0:443', '127.0.0.1:443', '127.0.0.2:443', '127.0.0.3:443', '127.0.0.4:443', '127.0.0.6:443', '127.0.0.7:443', 'localhost:8443']);
    expect(out).toMatchObject({ duplicates: 1, excluded: 2 });
  },
  policies: (out) => {
    expect(out).toEqual({ hasDataverse: true, custom: 'example-internal', rules: expect.any(Number), described: true, problem: 'E_POLICY' });
    expect(out.rules).toBeGreaterThan(0);
  },
  evaluate: (out) => {
    expect(out).toEqual({
      status: 'warn',
      rules: ['legacy-protocols'],
      policies: ['dataverse', 'mozilla-intermediate'],
      verdicts: ['dataverse: warn', 'mozilla-intermediate: fail'],
      generatedAt: '2026-01-01T00:00:00.000Z',
      exit: 1,
    });
  },
  'merge-diff': (out) => {
    expect(out).toMatchObject({ merged: 7, changed: 2, worse: 1, markdown: true });
    expect(out.summary).toEqual({ pass: 2, warn: 2, fail: 2, error: 1 });
  },
  render: (out) => {
    expect(out.sizes).toEqual({ table: true, json: true, markdown: true, html: true, csv: true, junit: true, sarif: true });
    expect(out.tableFits).toBe(true);
    expect(out.csvHeader).toMatch(/^host,address,port,policy,status,rule,outcome/);
    expect(out.sarifVersion).toBe('2.1.0');
    // A PDF where a Chromium is installed (.ci/run installs one), else the documented error code.
    expect(['%PDF-', 'E_PDF_BROWSER']).toContain(out.pdf);
  },
  explain: (out) => {
    expect(out).toMatchObject({ policy: 'dataverse', nginx: true, explainMentionsSchannel: true });
    expect(new Set(out.servers)).toEqual(new Set(['nginx']));
  },
  validate: (out) => {
    expect(out).toEqual({ schemaVersion: true, targets: 6, message: 'Report edited.json is not a tlsaudit report at /summary/pass: must be integer.' });
  },
  errors: (out) => {
    expect(out.caught).toEqual([
      { name: 'PolicyError', code: 'E_POLICY', exitCode: 2, oneLine: true },
      { name: 'InputError', code: 'E_INPUT', exitCode: 2, oneLine: true },
      { name: 'UsageError', code: 'E_USAGE', exitCode: 2, oneLine: true },
    ]);
    expect(out.known).toBe(true);
  },
};

describe('docs/library.md examples', () => {
  it('has one example per entry point group, each checked here', () => {
    expect([...examples.keys()].sort()).toEqual(Object.keys(CHECKS).sort());
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(name, async () => check(await runExample(name)));
  }
});
