/**
 * An SSL Labs API (or anything behind --api-url) that answers like an attacker: bodies too big to hold,
 * bodies that never end or drip a byte at a time, JSON cut off halfway, 503s that ask for no wait at all
 * or for years. Each ends as that host's `error` within its deadline; none loops hot or sleeps for weeks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assessWithSslLabs, type SslLabsAssessOptions, type SslLabsHost } from '../../../src/adapters/ssllabs/index.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { fakeSslLabsPerTest } from '../../helpers/fake-ssllabs-per-test.js';
import type { FakeSslLabs } from '../../helpers/ssllabs-server.js';
import { runCli } from '../../helpers/run-cli.js';

const OK = (JSON.parse(readFileSync(new URL('../../../fixtures/ssllabs/defectdojo-ok-mevitae-v3.json', import.meta.url), 'utf8')) as SslLabsHost[])[0]!;
const EMAIL = 'auditor@example.org';
const MiB = 1024 * 1024;

const FAST: SslLabsAssessOptions = {
  email: EMAIL,
  pollIntervalMs: { pending: 10, inProgress: 20 },
  unavailableWaitMs: { maintenance: 30, overloaded: 40 },
  rateLimitWaitMs: 50,
  retryBackoffMs: 20,
  jitter: 0,
  requestTimeoutMs: 3000,
  coolOffMarginMs: 5,
};

const serve = fakeSslLabsPerTest(EMAIL);

async function collect(hosts: string[], options: SslLabsAssessOptions): Promise<TargetObservation[]> {
  const out: TargetObservation[] = [];
  for await (const o of assessWithSslLabs(hosts, options)) out.push(o);
  return out;
}

const analyzeCalls = (fake: FakeSslLabs, host: string) => fake.requests.filter((r) => r.command === 'analyze' && r.host === host).length;

describe('answers too big to hold', () => {
  it('cuts a 9 MiB body off at 8 MiB, does not retry it, and makes it that host’s error', async () => {
    const fake = await serve({ hosts: { 'big.test': { report: OK, faults: { 2: { kind: 'oversize', bytes: 9 * MiB } } }, 'ok.test': { report: OK } } });
    const observations = await collect(['big.test', 'ok.test'], { ...FAST, apiUrl: fake.url });
    const big = observations.find((o) => o.host === 'big.test')!;
    expect(big.error).toMatch(/SSL Labs answered analyze with a body over the 8 MiB limit/);
    expect(analyzeCalls(fake, 'big.test')).toBe(2);
    expect(observations.find((o) => o.host === 'ok.test')!.error).toBeUndefined();
  });

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const fake = await serve({ hosts: { 'big.test': { report: OK, faults: { 1: { kind: 'oversize', bytes: 600 * MiB, contentLength: true } } } } });
    const [o] = await collect(['big.test'], { ...FAST, apiUrl: fake.url });
    expect(o!.error).toMatch(/over the 8 MiB limit/);
    expect(analyzeCalls(fake, 'big.test')).toBe(1);
  });

  it('stops reading a body that never ends (as a 2 GB answer would) at the cap', async () => {
    const fake = await serve({ hosts: { 'endless.test': { report: OK, faults: { 1: { kind: 'endless' } } } } });
    const before = process.memoryUsage().rss;
    const [o] = await collect(['endless.test'], { ...FAST, apiUrl: fake.url, maxBodyBytes: 2 * MiB });
    expect(o!.error).toMatch(/over the 2 MiB limit/);
    // Generous: the point is that memory does not follow the body (that ran to 4.3 GB and a V8 abort).
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });

  it('treats an oversized info answer as the API failing, for every host', async () => {
    const fake = await serve({ infoFaults: { 1: { kind: 'oversize', bytes: 9 * MiB } }, hosts: { 'a.test': { report: OK } } });
    const observations = await collect(['a.test', 'b.test'], { ...FAST, apiUrl: fake.url });
    for (const o of observations) expect(o.error).toMatch(/^SSL Labs API unavailable: SSL Labs answered info with a body over the 8 MiB limit/);
    expect(fake.requests.filter((r) => r.command === 'info')).toHaveLength(1);
  });
});

describe('answers that never finish or break off', () => {
  it('bounds a body that drips a byte at a time by the request deadline', async () => {
    const fake = await serve({ hosts: { 'drip.test': { report: OK, faultFrom: { call: 1, fault: { kind: 'drip', everyMs: 50 } } } } });
    const [o] = await collect(['drip.test'], { ...FAST, apiUrl: fake.url, requestTimeoutMs: 400, maxRetries: 1 });
    expect(o!.error).toMatch(/^No answer from SSL Labs in time \(request timed out\) \(gave up after 2 attempts\)/);
    expect(analyzeCalls(fake, 'drip.test')).toBe(2);
  });

  it('reads JSON cut off halfway (the connection dropped) as an error, retried a few times', async () => {
    const fake = await serve({ hosts: { 'cut.test': { report: OK, faultFrom: { call: 2, fault: { kind: 'truncated' } } } } });
    const [o] = await collect(['cut.test'], { ...FAST, apiUrl: fake.url, maxRetries: 2 });
    expect(o!.error).toMatch(/gave up after 3 attempts/);
    expect(o!.protocols).toEqual([]);
  });

  it('reads a complete 200 with truncated JSON as an error', async () => {
    const fake = await serve({ hosts: { 'cut.test': { report: OK, faultFrom: { call: 1, fault: { kind: 'malformed' } } } } });
    const [o] = await collect(['cut.test'], { ...FAST, apiUrl: fake.url, maxRetries: 1 });
    expect(o!.error).toMatch(/^Malformed JSON in the response .*\(gave up after 2 attempts\)\.$/);
  });
});

describe('waits with a floor and a ceiling', () => {
  for (const [what, retryAfter] of [
    ['Retry-After: 0', 0],
    ['a Retry-After date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT'],
  ] as const) {
    it(`backs off after 503 with ${what} instead of asking again at once`, async () => {
      const fake = await serve({ hosts: { 'hot.test': { report: OK, faultFrom: { call: 1, fault: { kind: 'status', status: 503, retryAfter } } } } });
      const [o] = await collect(['hot.test'], { ...FAST, apiUrl: fake.url, retryBackoffMs: 25, unavailableWaitMs: { maintenance: 60_000 }, hostTimeoutMs: 1500 });
      expect(o!.error).toMatch(/SSL Labs asked to come back in .* \(HTTP 503\), past the 2 s deadline|No SSL Labs result within 2 s/);
      // 25, 50, 100, 200, 400, 800 ms: the backoff reaches the deadline in a handful of requests (the hot loop sent thousands).
      expect(analyzeCalls(fake, 'hot.test')).toBeLessThanOrEqual(8);
    });
  }

  it('backs off when info answers 503 with Retry-After: 0', async () => {
    const fake = await serve({ infoFaultFrom: { call: 1, fault: { kind: 'status', status: 503, retryAfter: 0 } }, hosts: { 'a.test': { report: OK } } });
    const [o] = await collect(['a.test'], { ...FAST, apiUrl: fake.url, retryBackoffMs: 25, unavailableWaitMs: { maintenance: 60_000 }, hostTimeoutMs: 1500 });
    expect(o!.error).toMatch(/^SSL Labs API unavailable: /);
    expect(fake.requests.filter((r) => r.command === 'info').length).toBeLessThanOrEqual(8);
  });

  it('does not sleep for weeks on info’s Retry-After: 99999999 under the default 90-minute deadline', async () => {
    const fake = await serve({ infoFaults: { 1: { kind: 'status', status: 503, retryAfter: 99_999_999 } }, hosts: { 'a.test': { report: OK } } });
    const { hostTimeoutMs: _none, ...defaults } = { ...FAST, hostTimeoutMs: undefined };
    const [o] = await collect(['a.test'], { ...defaults, apiUrl: fake.url });
    expect(o!.error).toBe('SSL Labs API unavailable: SSL Labs asked to come back in 1157 days (HTTP 503), past the 90 min deadline; not waiting');
  });

  it('through the CLI: an oversized answer and an endless 503 end in errors and exit 3', async () => {
    const fake = await serve({
      hosts: {
        'big.test': { report: OK, faults: { 1: { kind: 'oversize', bytes: 9 * MiB } } },
        'late.test': { report: OK, faultFrom: { call: 1, fault: { kind: 'status', status: 529, retryAfter: 99_999_999 } } },
      },
    });
    const r = await runCli(['ssllabs', 'big.test', 'late.test', '--api-url', fake.url, '--email', EMAIL, '--poll-interval', '10', '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as { targets: Array<{ host: string; error?: string }> };
    expect(report.targets.find((t) => t.host === 'big.test')!.error).toMatch(/over the 8 MiB limit/);
    expect(report.targets.find((t) => t.host === 'late.test')!.error).toMatch(/past the 90 min deadline/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
