import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SslLabsRegistrationError,
  assessWithSslLabs,
  type SslLabsAssessOptions,
  type SslLabsHost,
  type SslLabsProgress,
  type SslLabsRunSummary,
} from '../../../src/adapters/ssllabs/index.js';
import { UsageError } from '../../../src/errors.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';
import { DATAVERSE_APPROVED_SUITES } from '../../helpers/dataverse-contract.js';
import { fakeSslLabsPerTest } from '../../helpers/fake-ssllabs-per-test.js';
import type { FakeSslLabsOptions } from '../../helpers/ssllabs-server.js';

const FIXTURES = new URL('../../../fixtures/ssllabs/', import.meta.url);
const recorded = (file: string): SslLabsHost => (JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as SslLabsHost[])[0]!;
const DES = recorded('defectdojo-3des-badssl-v3.json');
const DH = recorded('defectdojo-dh1024-badssl-v3.json');
const OK = recorded('defectdojo-ok-mevitae-v3.json');
const EMAIL = 'auditor@example.org';

/** Short waits so that the protocol runs in milliseconds; the logic is the documented one. */
const FAST: SslLabsAssessOptions = {
  email: EMAIL,
  pollIntervalMs: { pending: 10, inProgress: 20 },
  unavailableWaitMs: { maintenance: 30, overloaded: 40 },
  rateLimitWaitMs: 50,
  retryBackoffMs: 10,
  jitter: 0,
  // Long enough that a loaded machine does not time out ordinary answers (a retried start would resend startNew).
  requestTimeoutMs: 1500,
  coolOffMarginMs: 5,
};

const serve = fakeSslLabsPerTest(EMAIL);

async function collect(
  hosts: string[],
  options: SslLabsAssessOptions,
): Promise<{ observations: TargetObservation[]; summary: SslLabsRunSummary }> {
  const observations: TargetObservation[] = [];
  const generator = assessWithSslLabs(hosts, options);
  for (;;) {
    const step = await generator.next();
    if (step.done) return { observations, summary: step.value };
    observations.push(step.value);
  }
}

/**
 * The Dataverse policy read straight from CONTRACT.md and applied to the raw response, without the
 * normaliser: TLS 1.2 (id 771) with one of the eight ECDHE suites, else fail; anything older than
 * TLS 1.2 or a TLS_RSA_WITH_* suite, warn.
 */
function independentVerdict(host: SslLabsHost): 'pass' | 'warn' | 'fail' {
  const suites = host.endpoints![0]!.details!.suites as Array<{ protocol: number; list: Array<{ name: string }> }>;
  const tls12 = suites.find((s) => s.protocol === 771);
  const fail = !tls12 || !tls12.list.some((s) => DATAVERSE_APPROVED_SUITES.includes(s.name));
  const warn = suites.some((s) => s.protocol < 771) || suites.some((s) => s.list.some((x) => x.name.startsWith('TLS_RSA_WITH_')));
  return fail ? 'fail' : warn ? 'warn' : 'pass';
}
function independentProtocols(host: SslLabsHost): Array<[number, string[]]> {
  const suites = host.endpoints![0]!.details!.suites as Array<{ protocol: number; list: Array<{ id: number }> }>;
  return suites
    .map((s): [number, string[]] => [s.protocol, s.list.map((x) => `0x${x.id.toString(16).toUpperCase().padStart(4, '0')}`)])
    .sort((a, b) => a[0] - b[0]);
}
const WIRE: Record<string, number> = { 'TLSv1.0': 769, 'TLSv1.1': 770, 'TLSv1.2': 771, 'TLSv1.3': 772 };

describe('assessWithSslLabs against the fake API', () => {
  it('assesses ten hosts, faulty ones included, without a single 429 and with the recorded verdicts', async () => {
    const hosts = {
      'a.test': { report: DES },
      'b.test': { report: DH },
      'c.test': { report: OK, inProgressPolls: 4 },
      'd.test': { report: DES, faults: { 2: { kind: 'status', status: 503, retryAfter: 1 } } },
      'e.test': { report: OK, faults: { 3: { kind: 'status', status: 529 } } },
      'f.test': { report: DH, faults: { 2: { kind: 'reset' } } },
      'g.test': { report: OK, faults: { 3: { kind: 'malformed' } } },
      'h.test': { report: DES, faults: { 2: { kind: 'slow', delayMs: 3000 } } },
      'i.test': { report: OK, faultFrom: { call: 2, fault: { kind: 'status', status: 500 } } },
      'j.test': { error: 'Unable to resolve domain name' },
    } satisfies FakeSslLabsOptions['hosts'];
    const fake = await serve({ maxAssessments: 3, coolOffMs: 50, hosts });
    const events: SslLabsProgress[] = [];
    const { observations, summary } = await collect(Object.keys(hosts), {
      ...FAST,
      apiUrl: fake.url,
      onProgress: (e) => events.push(e),
    });

    expect(fake.tooMany).toBe(0);
    expect(summary.rateLimited).toBe(0);
    expect(fake.maxConcurrent).toBeGreaterThan(0);
    expect(fake.maxConcurrent).toBeLessThanOrEqual(3);
    expect(summary.peakConcurrent).toBeLessThanOrEqual(3);
    expect(fake.requests[0]!.command).toBe('info');
    for (const r of fake.requests) expect(r.email).toBe(EMAIL);
    for (const host of Object.keys(hosts)) {
      expect(fake.startNewRequests(host), host).toBe(1);
      expect(fake.started.get(host), host).toBe(1);
      const analyze = fake.requests.filter((r) => r.command === 'analyze' && r.host === host);
      expect(analyze[0]!.params.startNew).toBe('on');
      for (const r of analyze) {
        expect(r.params.all).toBe('done');
        expect(r.params.publish).toBeUndefined();
      }
    }

    const byHost = new Map(observations.map((o) => [o.host, o]));
    expect([...byHost.keys()].sort()).toEqual(Object.keys(hosts).sort());
    expect(observations).toHaveLength(10);
    expect(byHost.get('i.test')!.error).toMatch(/HTTP 500.*gave up after 4 attempts/);
    expect(byHost.get('j.test')!.error).toBe('Unable to resolve domain name');

    const policy = compilePolicy(loadPolicy('dataverse'));
    for (const [host, scenario] of Object.entries(hosts)) {
      if (host === 'i.test' || host === 'j.test') continue;
      const raw = (scenario as { report: SslLabsHost }).report;
      const o = byHost.get(host)!;
      expect(o.error, host).toBeUndefined();
      expect(o.address).toBe(raw.endpoints![0]!.ipAddress);
      expect(o.runs[0]!.grade).toBe(raw.endpoints![0]!.grade);
      expect(o.protocols.map((p): [number, string[]] => [WIRE[p.version]!, p.ciphers.map((c) => c.code)])).toEqual(
        independentProtocols(raw),
      );
      expect(evaluate(policy, o).status, host).toBe(independentVerdict(raw));
    }
    expect(evaluate(policy, byHost.get('i.test')!).status).toBe('error');
    expect(evaluate(policy, byHost.get('j.test')!).status).toBe('error');

    const c = events.filter((e) => e.host === 'c.test').map((e) => e.state);
    expect(c).toEqual(expect.arrayContaining(['queued', 'DNS', 'IN_PROGRESS', 'READY']));
    const inProgress = events.filter((e) => e.host === 'c.test' && e.state === 'IN_PROGRESS');
    expect(inProgress.every((e) => typeof e.progress === 'number' && typeof e.etaSeconds === 'number')).toBe(true);
    expect(events.some((e) => e.host === 'd.test' && e.state === 'retrying' && /503/.test(e.message ?? ''))).toBe(true);
  });

  it('leaves room for assessments other clients of the account run (X-Current-Assessments)', async () => {
    const hosts = { 'a.test': { report: DES }, 'b.test': { report: DH }, 'c.test': { report: OK }, 'd.test': { report: OK } };
    const fake = await serve({ maxAssessments: 3, otherAssessments: 2, hosts });
    const { observations } = await collect(Object.keys(hosts), { ...FAST, apiUrl: fake.url });
    expect(observations.filter((o) => o.error === undefined)).toHaveLength(4);
    expect(fake.tooMany).toBe(0);
    expect(fake.maxConcurrent).toBe(1);
  });

  it('reads the limit from X-ClientMaxAssessments when X-Max-Assessments is absent', async () => {
    const hosts = { 'a.test': { report: DES }, 'b.test': { report: DH } };
    const fake = await serve({ maxAssessments: 1, legacyMaxHeader: true, hosts });
    const { summary } = await collect(Object.keys(hosts), { ...FAST, apiUrl: fake.url });
    expect(summary.maxAssessments).toBe(1);
    expect(fake.tooMany).toBe(0);
  });

  it('waits and tries again after a 429, and after a 503 on the starting call', async () => {
    const hosts = {
      'a.test': { report: OK, faults: { 1: { kind: 'status', status: 429 } } },
      'b.test': { report: DH, faults: { 1: { kind: 'status', status: 503 } } },
    } satisfies FakeSslLabsOptions['hosts'];
    const fake = await serve({ hosts });
    const messages: string[] = [];
    const { observations, summary } = await collect(Object.keys(hosts), {
      ...FAST,
      apiUrl: fake.url,
      onMessage: (m) => messages.push(m),
    });
    expect(observations.every((o) => o.error === undefined)).toBe(true);
    expect(summary.rateLimited).toBe(1);
    expect(fake.started.get('a.test')).toBe(1);
    expect(fake.started.get('b.test')).toBe(1);
    expect(messages.some((m) => m.startsWith('a.test: SSL Labs answered 429'))).toBe(true);
    expect(messages.some((m) => m.startsWith('b.test: SSL Labs is unavailable (HTTP 503)'))).toBe(true);
  });

  it('shows info messages, follows a restarted assessment and notes it', async () => {
    const fake = await serve({
      messages: ['[Private] Hello from the fake API'],
      hosts: { 'a.test': { report: OK, faults: { 3: { kind: 'restart' } } } },
    });
    const messages: string[] = [];
    const { observations } = await collect(['a.test'], { ...FAST, apiUrl: fake.url, onMessage: (m) => messages.push(m) });
    expect(messages).toContain('SSL Labs: [Private] Hello from the fake API');
    expect(messages.some((m) => /restarted/.test(m))).toBe(true);
    expect(observations[0]!.error).toBeUndefined();
    expect(observations[0]!.runs[0]!.notes!.some((n) => /assessment restarted/.test(n))).toBe(true);
    expect(fake.startNewRequests('a.test')).toBe(1);
  });

  it('uses cached reports with --from-cache/--max-age and never sends startNew then', async () => {
    const hosts = { 'fresh.test': { report: OK, cachedAgeHours: 2 }, 'stale.test': { report: DH, cachedAgeHours: 48 } };
    const fake = await serve({ hosts });
    const { observations } = await collect(Object.keys(hosts), { ...FAST, apiUrl: fake.url, maxAgeHours: 24 });
    expect(observations.every((o) => o.error === undefined)).toBe(true);
    expect(fake.started.get('fresh.test')).toBeUndefined();
    expect(fake.started.get('stale.test')).toBe(1);
    const analyze = fake.requests.filter((r) => r.command === 'analyze');
    expect(analyze.every((r) => r.params.fromCache === 'on' && r.params.maxAge === '24' && r.params.startNew === undefined)).toBe(true);
    expect(analyze.filter((r) => r.host === 'fresh.test')).toHaveLength(1);
  });

  it('publishes only when asked', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } } });
    await collect(['a.test'], { ...FAST, apiUrl: fake.url, publish: true });
    expect(fake.requests.filter((r) => r.command === 'analyze').every((r) => r.params.publish === 'on')).toBe(true);
  });

  it('speaks API v3 without the email header', async () => {
    const fake = await serve({ version: 'v3', hosts: { 'a.test': { report: DES } } });
    const { observations } = await collect(['a.test'], { ...FAST, email: undefined, apiUrl: fake.url });
    expect(fake.url).toMatch(/\/api\/v3\/$/);
    expect(observations[0]!.error).toBeUndefined();
    expect(fake.requests.every((r) => r.email === undefined)).toBe(true);
  });

  it('refuses API v4 without an email before sending anything', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } } });
    const generator = assessWithSslLabs(['a.test'], { ...FAST, email: undefined, apiUrl: fake.url });
    await expect(generator.next()).rejects.toThrow(UsageError);
    await expect(assessWithSslLabs(['a.test'], { ...FAST, email: '', apiUrl: fake.url }).next()).rejects.toThrow(/--email/);
    expect(fake.requests).toHaveLength(0);
  });

  it('tells the user to register an email the API does not know (441)', async () => {
    const fake = await serve({ registered: [], hosts: { 'a.test': { report: OK } } });
    const run = collect(['a.test'], { ...FAST, email: 'stranger@example.org', apiUrl: fake.url });
    await expect(run).rejects.toThrow(SslLabsRegistrationError);
    await expect(collect(['a.test'], { ...FAST, email: 'stranger@example.org', apiUrl: fake.url })).rejects.toThrow(
      /register this email first/,
    );
    expect(fake.requests.every((r) => r.command === 'info' && r.status === 441)).toBe(true);
  });

  it('survives a progress answer with a null endpoint, and keeps following the host', async () => {
    const odd = JSON.stringify({ host: 'a.test', port: 443, status: 'IN_PROGRESS', startTime: 1, endpoints: [null] });
    const fake = await serve({ hosts: { 'a.test': { report: OK, faults: { 2: { kind: 'status', status: 200, body: odd } } }, 'b.test': { report: DH } } });
    const { observations } = await collect(['a.test', 'b.test'], { ...FAST, apiUrl: fake.url, onProgress: () => {} });
    expect(observations.map((o) => [o.host, o.error]).sort()).toEqual([
      ['a.test', undefined],
      ['b.test', undefined],
    ]);
  });

  it('notes a restart whose startTime is out of Date range without ending the run', async () => {
    const odd = JSON.stringify({ host: 'a.test', port: 443, status: 'IN_PROGRESS', startTime: 1e20 });
    const fake = await serve({ hosts: { 'a.test': { report: OK, faults: { 3: { kind: 'status', status: 200, body: odd } } }, 'b.test': { report: DH } } });
    const { observations } = await collect(['a.test', 'b.test'], { ...FAST, apiUrl: fake.url });
    expect(observations.map((o) => [o.host, o.error]).sort()).toEqual([
      ['a.test', undefined],
      ['b.test', undefined],
    ]);
  });

  it('waits out a Retry-After longer than a timer can hold instead of retrying at once', async () => {
    // setTimeout fires after 1 ms for delays beyond 2^31-1 ms; a long Retry-After must not become a request loop.
    const fake = await serve({ hosts: { 'a.test': { report: OK, faults: { 2: { kind: 'status', status: 503, retryAfter: 99_999_999 } } } } });
    const { observations } = await collect(['a.test'], { ...FAST, apiUrl: fake.url, hostTimeoutMs: 500 });
    expect(observations[0]!.error).toMatch(/SSL Labs asked to come back in 1157 days \(HTTP 503\), past the 500 ms deadline; not waiting\./);
    expect(fake.requests.filter((r) => r.command === 'analyze')).toHaveLength(2);
  });

  it('takes hostTimeoutMs: Infinity as no deadline', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } } });
    const { observations } = await collect(['a.test'], { ...FAST, apiUrl: fake.url, hostTimeoutMs: Number.POSITIVE_INFINITY });
    expect(observations.map((o) => o.error)).toEqual([undefined]);
  });

  it('reads an info answer whose messages are not a list of texts without ending the run', async () => {
    const info = JSON.stringify({ engineVersion: '2.1.8', maxAssessments: 3, newAssessmentCoolOff: 10, messages: 42 });
    const fake = await serve({ infoFaults: { 1: { kind: 'status', status: 200, body: info } }, hosts: { 'a.test': { report: OK } } });
    const messages: string[] = [];
    const { observations } = await collect(['a.test'], { ...FAST, apiUrl: fake.url, onMessage: (m) => messages.push(m) });
    expect(observations.map((o) => o.error)).toEqual([undefined]);
    expect(messages.filter((m) => m.startsWith('SSL Labs: '))).toEqual([]);
  });

  it('reports every host as an error when info never answers', async () => {
    const fault = { kind: 'status', status: 500 } as const;
    const fake = await serve({ infoFaults: { 1: fault, 2: fault, 3: fault, 4: fault }, hosts: { 'a.test': { report: OK } } });
    const { observations } = await collect(['a.test', 'b.test'], { ...FAST, apiUrl: fake.url });
    expect(observations.map((o) => o.host)).toEqual(['a.test', 'b.test']);
    for (const o of observations) expect(o.error).toMatch(/^SSL Labs API unavailable: .*HTTP 500/);
    expect(fake.requests.filter((r) => r.command === 'analyze')).toHaveLength(0);
  });

  it('gives up on one host at its deadline and on a port other than 443; the rest go on', async () => {
    const fake = await serve({ hosts: { 'slow.test': { report: OK, inProgressPolls: 100_000 }, 'a.test': { report: DH } } });
    const { observations } = await collect(['slow.test', 'a.test', 'a.test:8443'], { ...FAST, apiUrl: fake.url, hostTimeoutMs: 1500 });
    const byHost = new Map(observations.map((o) => [o.host, o]));
    expect(byHost.get('slow.test')!.error).toMatch(/No SSL Labs result within 2 s \(last status: IN_PROGRESS\)/);
    expect(byHost.get('a.test')!.error).toBeUndefined();
    expect(byHost.get('a.test:8443')!.error).toMatch(/port 443 only/);
    expect(fake.tooMany).toBe(0);
  });

  it('stops on abort, keeping what finished and naming what did not', async () => {
    const fake = await serve({ hosts: { 'quick.test': { report: OK }, 'endless.test': { report: DH, inProgressPolls: 100_000 } } });
    const controller = new AbortController();
    const observations: TargetObservation[] = [];
    const generator = assessWithSslLabs(['quick.test', 'endless.test'], { ...FAST, apiUrl: fake.url, signal: controller.signal });
    let summary: SslLabsRunSummary | undefined;
    for (;;) {
      const step = await generator.next();
      if (step.done) {
        summary = step.value;
        break;
      }
      observations.push(step.value);
      controller.abort();
    }
    expect(observations.map((o) => o.host)).toEqual(['quick.test']);
    expect(summary.unfinished).toEqual(['endless.test']);
  });

  it('ends promptly on abort while hosts still wait for a free slot', async () => {
    const hosts = { 'quick.test': { report: OK }, 'endless.test': { report: DH, inProgressPolls: 100_000 }, 'x.test': { report: OK }, 'y.test': { report: DH } };
    const fake = await serve({ maxAssessments: 1, hosts });
    const controller = new AbortController();
    const generator = assessWithSslLabs(Object.keys(hosts), { ...FAST, apiUrl: fake.url, signal: controller.signal });
    const first = await generator.next();
    expect(first.done).toBe(false);
    controller.abort();
    const rest = await generator.next();
    expect(rest.done).toBe(true);
    expect((rest.value as SslLabsRunSummary).unfinished).toEqual(['endless.test', 'x.test', 'y.test']);
    expect(fake.started.has('x.test')).toBe(false);
  });
});
