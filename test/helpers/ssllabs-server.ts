/**
 * A real HTTP server on 127.0.0.1 that speaks the SSL Labs API (v3 or v4) well enough to hold a client
 * to the documented protocol: it replays recorded Host objects as READY answers after walking
 * DNS -> IN_PROGRESS, enforces maxAssessments and the new-assessment cool-off by answering 429 (and
 * counts them), checks the v4 `email` header (400/441), registers emails, and injects faults per host
 * (503/529 with Retry-After, 500, malformed JSON, a reset connection, a slow answer, a restart) and
 * hostile answers (an oversized or endless body, one that drips a byte at a time, one cut off halfway).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SslLabsHost } from '../../src/adapters/ssllabs/api-types.js';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: string }
  | { kind: 'malformed' }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  /** The assessment starts over (as when another client sends startNew): a newer startTime. */
  | { kind: 'restart' }
  /** A 200 whose body is `bytes` long (JSON-looking padding), with or without Content-Length. */
  | { kind: 'oversize'; bytes: number; contentLength?: boolean }
  /** A 200 whose body never ends: chunks as fast as the client reads, until it hangs up. */
  | { kind: 'endless' }
  /** A 200 whose body arrives one byte every `everyMs`, never finishing on its own. */
  | { kind: 'drip'; everyMs: number }
  /** A 200 that promises a whole Host object (Content-Length) and hangs up halfway. */
  | { kind: 'truncated' };

export interface FakeHost {
  /** The READY answer (a recorded Host object); `host`, `startTime` and `testTime` are rewritten. */
  report?: SslLabsHost;
  /** Answer status ERROR with this statusMessage after the DNS phase. */
  error?: string;
  /** Answers with status DNS after the starting call (default 1). */
  dnsPolls?: number;
  /** Answers with status IN_PROGRESS before READY (default 2). */
  inProgressPolls?: number;
  /** Faults by analyze call number for this host, 1-based, counting every call. */
  faults?: Record<number, Fault>;
  /** One fault answered to every call from `call` on. */
  faultFrom?: { call: number; fault: Fault };
  /** A cached READY report exists, this many hours old (for fromCache/maxAge). */
  cachedAgeHours?: number;
}

export interface FakeSslLabsOptions {
  version?: 'v3' | 'v4';
  maxAssessments?: number;
  /** newAssessmentCoolOff in ms. */
  coolOffMs?: number;
  /** Emails registered already (v4). */
  registered?: string[];
  messages?: string[];
  hosts?: Record<string, FakeHost>;
  /** Assessments other clients on the same account are running; they count against maxAssessments. */
  otherAssessments?: number;
  /** Faults for successive info calls (1-based). */
  infoFaults?: Record<number, Fault>;
  /** One fault answered to every info call from `call` on. */
  infoFaultFrom?: { call: number; fault: Fault };
  /** Send X-ClientMaxAssessments instead of X-Max-Assessments (API v2 style). */
  legacyMaxHeader?: boolean;
  /** Serve HTTPS with this key and certificate (PEM), as the real API does; plain HTTP otherwise. */
  tls?: { key: string; cert: string };
}

export interface RecordedRequest {
  method: string;
  command: string;
  params: Record<string, string>;
  email: string | undefined;
  host: string | undefined;
  status: number | 'reset';
  body?: unknown;
}

interface Assessment {
  startTime: number;
  polls: number;
  done: boolean;
  final?: SslLabsHost;
}

export interface FakeSslLabs {
  /** Base URL of the API, ending in /api/v4/ or /api/v3/. */
  url: string;
  requests: RecordedRequest[];
  /** 429 answers given. */
  tooMany: number;
  /** Most of this client's assessments in progress at once, as the server counted them. */
  maxConcurrent: number;
  /** New assessments started per host. */
  started: Map<string, number>;
  registered: Set<string>;
  options: Required<Pick<FakeSslLabsOptions, 'maxAssessments' | 'coolOffMs'>> & FakeSslLabsOptions;
  /** analyze requests that carried startNew=on, per host. */
  startNewRequests(host: string): number;
  close(): Promise<void>;
}

const ENGINE = { engineVersion: '2.1.8', criteriaVersion: '2009q' };

export async function startFakeSslLabs(options: FakeSslLabsOptions = {}): Promise<FakeSslLabs> {
  const version = options.version ?? 'v4';
  const opts = { maxAssessments: 3, coolOffMs: 50, ...options };
  const hosts = opts.hosts ?? {};
  const registered = new Set(opts.registered ?? []);
  const assessments = new Map<string, Assessment>();
  const calls = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let infoCalls = 0;
  let lastNewAt = Number.NEGATIVE_INFINITY;

  const own = (): number => [...assessments.values()].filter((a) => !a.done).length;
  const current = (): number => own() + (opts.otherAssessments ?? 0);

  const fake: FakeSslLabs = {
    url: '',
    requests: [],
    tooMany: 0,
    maxConcurrent: 0,
    started: new Map(),
    registered,
    options: opts,
    startNewRequests: (host) =>
      fake.requests.filter((r) => r.command === 'analyze' && r.host === host && r.params.startNew === 'on').length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const rateHeaders = (): Record<string, string> => ({
    [opts.legacyMaxHeader ? 'X-ClientMaxAssessments' : 'X-Max-Assessments']: String(opts.maxAssessments),
    'X-Current-Assessments': String(current()),
  });

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    record.status = status;
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };

  /** Answers a fault; true when the call was consumed by it. */
  const applyFault = async (fault: Fault | undefined, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean> => {
    if (fault === undefined) return false;
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
        send(res, record, fault.status, fault.body ?? { errors: [{ message: `injected ${fault.status}` }] }, headers);
        return true;
      }
      case 'malformed':
        send(res, record, 200, '{"host":"truncated","status":"IN_PROG', rateHeaders());
        return true;
      case 'reset':
        record.status = 'reset';
        req.socket.destroy();
        return true;
      case 'slow':
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, fault.delayMs);
          timers.add(t);
        });
        return false;
      case 'restart':
        return false;
      case 'oversize': {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json', ...(fault.contentLength ? { 'content-length': String(fault.bytes) } : {}) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = fault.bytes;
        res.write('{"status":"READY","pad":"');
        left -= 25;
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!res.write(piece)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
        res.destroy();
        return true;
      }
      case 'endless': {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        res.write('{"pad":"');
        while (!res.destroyed) {
          if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
        return true;
      }
      case 'drip': {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        await new Promise<void>((resolve) => {
          const t = setInterval(() => {
            if (res.destroyed) {
              clearInterval(t);
              timers.delete(t);
              resolve();
              return;
            }
            res.write(' ');
          }, fault.everyMs);
          timers.add(t);
        });
        return true;
      }
      case 'truncated': {
        const whole = JSON.stringify({ host: 'truncated', port: 443, status: 'READY', endpoints: [{ ipAddress: '192.0.2.1', details: {} }] });
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length), ...rateHeaders() });
        res.write(whole.slice(0, whole.length >> 1));
        setImmediate(() => req.socket.destroy());
        return true;
      }
    }
  };

  const progressBody = (name: string, scenario: FakeHost, a: Assessment, status: 'DNS' | 'IN_PROGRESS'): SslLabsHost => {
    const base: SslLabsHost = { host: name, port: 443, protocol: 'http', isPublic: false, status, startTime: a.startTime, ...ENGINE };
    if (status === 'DNS') return { ...base, statusMessage: 'Resolving domain names' };
    const total = scenario.inProgressPolls ?? 2;
    const step = a.polls - (scenario.dnsPolls ?? 1);
    const endpoints = (scenario.report?.endpoints ?? [{ ipAddress: '192.0.2.1' }]).map((e) => ({
      ipAddress: e.ipAddress,
      statusMessage: 'In progress',
      statusDetails: 'TESTING_CIPHER_SUITES',
      statusDetailsMessage: 'Determining available cipher suites',
      progress: Math.min(99, Math.round((100 * step) / (total + 1))),
      eta: (total + 1 - step) * 10,
      delegation: 1,
    }));
    return { ...base, endpoints };
  };

  const finalBody = (name: string, scenario: FakeHost, startTime: number): SslLabsHost => {
    if (scenario.error !== undefined || scenario.report === undefined) {
      return {
        host: name,
        port: 443,
        protocol: 'http',
        isPublic: false,
        status: 'ERROR',
        statusMessage: scenario.error ?? 'Unable to resolve domain name',
        startTime,
        testTime: Date.now(),
        ...ENGINE,
      };
    }
    return { ...structuredClone(scenario.report), host: name, startTime, testTime: Date.now() };
  };

  const analyze = async (req: IncomingMessage, res: ServerResponse, record: RecordedRequest, params: Record<string, string>): Promise<void> => {
    const name = params.host;
    if (!name) {
      send(res, record, 400, { errors: [{ field: 'host', message: 'qp.mandatory' }] });
      return;
    }
    const scenario = hosts[name] ?? {};
    const call = (calls.get(name) ?? 0) + 1;
    calls.set(name, call);
    const fault = scenario.faults?.[call] ?? (scenario.faultFrom && call >= scenario.faultFrom.call ? scenario.faultFrom.fault : undefined);
    if (await applyFault(fault, req, res, record)) return;

    let a = assessments.get(name);
    if (fault?.kind === 'restart' && a !== undefined && !a.done) {
      a.startTime = Date.now() + 1;
      a.polls = 0;
    }
    const inProgress = a !== undefined && !a.done;
    const cacheOk =
      scenario.cachedAgeHours !== undefined &&
      (params.maxAge === undefined || scenario.cachedAgeHours <= Number(params.maxAge));
    if (!inProgress && params.fromCache === 'on' && cacheOk) {
      send(res, record, 200, finalBody(name, scenario, Date.now() - scenario.cachedAgeHours! * 3_600_000), rateHeaders());
      return;
    }
    const wantsNew = !inProgress && (params.startNew === 'on' || params.fromCache === 'on' || a === undefined);
    if (wantsNew) {
      const now = performance.now();
      if (current() >= opts.maxAssessments || now - lastNewAt < opts.coolOffMs) {
        fake.tooMany += 1;
        send(res, record, 429, { errors: [{ message: 'Running at full capacity. Please try again later.' }] }, rateHeaders());
        return;
      }
      lastNewAt = now;
      a = { startTime: Date.now(), polls: 0, done: false };
      assessments.set(name, a);
      fake.started.set(name, (fake.started.get(name) ?? 0) + 1);
      fake.maxConcurrent = Math.max(fake.maxConcurrent, own());
    }
    if (a === undefined) throw new Error('unreachable');
    if (a.done) {
      send(res, record, 200, a.final, rateHeaders());
      return;
    }
    const dns = scenario.dnsPolls ?? 1;
    const inProg = scenario.error !== undefined ? 0 : (scenario.inProgressPolls ?? 2);
    let body: SslLabsHost;
    if (a.polls < dns) body = progressBody(name, scenario, a, 'DNS');
    else if (a.polls < dns + inProg) body = progressBody(name, scenario, a, 'IN_PROGRESS');
    else {
      body = finalBody(name, scenario, a.startTime);
      a.done = true;
      a.final = body;
    }
    a.polls += 1;
    send(res, record, 200, body, rateHeaders());
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = `/api/${version}/`;
      const params = Object.fromEntries(url.searchParams);
      const email = typeof req.headers.email === 'string' ? req.headers.email : undefined;
      const command = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
      const record: RecordedRequest = { method: req.method ?? 'GET', command, params, email, host: params.host, status: 0 };
      fake.requests.push(record);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (!url.pathname.startsWith(prefix)) {
        send(res, record, 404, { errors: [{ message: 'not found' }] });
        return;
      }
      if (command === 'register' && version === 'v4') {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          send(res, record, 400, { errors: [{ message: 'Invalid JSON' }] });
          return;
        }
        record.body = body;
        const missing = ['firstName', 'lastName', 'email', 'organization'].find((f) => typeof body[f] !== 'string' || body[f] === '');
        if (missing !== undefined) {
          send(res, record, 400, { errors: [{ field: missing, message: 'qp.mandatory' }] });
          return;
        }
        if (/@(gmail|yahoo|hotmail)\./i.test(String(body.email))) {
          send(res, record, 400, { errors: [{ field: 'email', message: 'Only organization email addresses are allowed' }] });
          return;
        }
        if (registered.has(String(body.email))) {
          send(res, record, 200, { message: 'User already registered', status: 'failure' });
          return;
        }
        registered.add(String(body.email));
        send(res, record, 200, { message: 'User has been registered successfully', status: 'success' });
        return;
      }
      if (version === 'v4') {
        if (email === undefined || email === '') {
          send(res, record, 400, { errors: [{ field: 'email', message: 'Email address is required' }] });
          return;
        }
        if (!registered.has(email)) {
          send(res, record, 441, { errors: [{ field: 'email', message: 'Unauthorized: email is not registered' }] });
          return;
        }
      }
      if (command === 'info') {
        infoCalls += 1;
        const infoFault = opts.infoFaults?.[infoCalls] ?? (opts.infoFaultFrom && infoCalls >= opts.infoFaultFrom.call ? opts.infoFaultFrom.fault : undefined);
        if (await applyFault(infoFault, req, res, record)) return;
        send(
          res,
          record,
          200,
          {
            ...ENGINE,
            maxAssessments: opts.maxAssessments,
            currentAssessments: current(),
            newAssessmentCoolOff: opts.coolOffMs,
            messages: opts.messages ?? [],
          },
          rateHeaders(),
        );
        return;
      }
      if (command === 'analyze') {
        await analyze(req, res, record, params);
        return;
      }
      if (command === 'getEndpointData') {
        const final = assessments.get(params.host ?? '')?.final;
        const endpoint = final?.endpoints?.find((e) => e.ipAddress === params.s);
        if (endpoint === undefined) send(res, record, 400, { errors: [{ field: 's', message: 'qp.invalid' }] });
        else send(res, record, 200, endpoint, rateHeaders());
        return;
      }
      send(res, record, 404, { errors: [{ message: `unknown command ${command}` }] });
    })().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500);
        res.end(String(error));
      }
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/api/${version}/`;
  return fake;
}
