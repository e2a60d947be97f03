import pLimit from 'p-limit';
import { errorMessage } from '../../errors.js';
import type { TargetObservation } from '../../model/index.js';
import type { SslLabsHost, SslLabsInfo } from './api-types.js';
import { AssessmentSlots, type StartTicket } from './assessment-slots.js';
import type { ApiOutcome } from './classify-response.js';
import { normaliseSslLabsHost } from './normalise-host.js';
import { sleep, withJitter } from './sleep.js';
import { SslLabsRegistrationError } from './ssllabs-errors.js';
import { SslLabsApi, type ApiResponse, type SslLabsApiOptions } from './ssllabs-api.js';

export const PROGRESS_STATES = [
  'queued',
  'waiting',
  'DNS',
  'IN_PROGRESS',
  'READY',
  'ERROR',
  'retrying',
  'failed',
] as const;
export type SslLabsProgressState = (typeof PROGRESS_STATES)[number];

/** One step of one host's assessment, for a progress display. */
export interface SslLabsProgress {
  host: string;
  state: SslLabsProgressState;
  /** 0..100 over the host's endpoints, when SSL Labs reported it. */
  progress?: number;
  /** Seconds until SSL Labs expects to finish, when it said. */
  etaSeconds?: number;
  /** What SSL Labs is doing, or why we wait ("HTTP 529, retrying in 30 min"). */
  message?: string;
}

export interface SslLabsAssessOptions extends SslLabsApiOptions {
  /** Aborting ends the run: hosts already yielded stand, the others are dropped. */
  signal?: AbortSignal;
  /** Hosts followed at once; never more than the API's maxAssessments. */
  concurrency?: number;
  /** Accept a cached report (fromCache=on) instead of starting a new assessment. */
  fromCache?: boolean;
  /** Oldest acceptable cached report, in hours; implies fromCache. */
  maxAgeHours?: number;
  /** Publish results on the SSL Labs boards; off unless asked. */
  publish?: boolean;
  ignoreMismatch?: boolean;
  /** Poll every `pending` ms until the assessment is IN_PROGRESS, then every `inProgress` ms (5 s, 10 s). */
  pollIntervalMs?: { pending?: number; inProgress?: number };
  /** Wait after a 503 without Retry-After (15 min) and after a 529 (30 min), before jitter. */
  unavailableWaitMs?: { maintenance?: number; overloaded?: number };
  /** Wait after a 429 (60 s), before jitter. */
  rateLimitWaitMs?: number;
  /** ± fraction applied to the waits above (0.25). */
  jitter?: number;
  /** Retries after 500s, network errors and malformed answers before a host counts as failed (3). */
  maxRetries?: number;
  /** First retry delay, doubled each time (2 s). */
  retryBackoffMs?: number;
  /** Give up on one host after this long (90 min). */
  hostTimeoutMs?: number;
  /** Added to newAssessmentCoolOff (100 ms). */
  coolOffMarginMs?: number;
  onProgress?: (event: SslLabsProgress) => void;
  /** Server messages (info's `messages`) and notices about waits, one line each. */
  onMessage?: (message: string) => void;
}

/** What happened over the run, returned when the generator finishes. */
export interface SslLabsRunSummary {
  requests: number;
  rateLimited: number;
  /** Most of our own assessments running at once. */
  peakConcurrent: number;
  maxAssessments: number;
  /** Hosts not finished because the run was aborted. */
  unfinished: string[];
}

const MINUTE = 60_000;
const DEFAULT_COOL_OFF_MS = 1000;
const MAX_RESTARTS = 3;

interface Settings {
  pending: number;
  inProgress: number;
  maintenance: number;
  overloaded: number;
  rateLimit: number;
  jitter: number;
  maxRetries: number;
  backoff: number;
  hostTimeout: number;
}

/**
 * Assesses hosts through the SSL Labs API as its documentation asks (info first, startNew once, all=done,
 * 5 s / 10 s polling, maxAssessments and the cool-off kept), surviving 429/5xx/network faults, and yields
 * each host's observations (one per endpoint) as soon as that host is done. A host that cannot be
 * assessed is yielded with `error` set; only an unregistered v4 email ends the whole run (it throws).
 */
export async function* assessWithSslLabs(
  hosts: readonly string[],
  options: SslLabsAssessOptions = {},
): AsyncGenerator<TargetObservation, SslLabsRunSummary, undefined> {
  const api = new SslLabsApi(options);
  api.requireEmail();
  const unique = [...new Set(hosts.map((h) => h.trim()).filter((h) => h !== ''))];
  const settings: Settings = {
    pending: options.pollIntervalMs?.pending ?? 5000,
    inProgress: options.pollIntervalMs?.inProgress ?? 10_000,
    maintenance: options.unavailableWaitMs?.maintenance ?? 15 * MINUTE,
    overloaded: options.unavailableWaitMs?.overloaded ?? 30 * MINUTE,
    rateLimit: options.rateLimitWaitMs ?? MINUTE,
    jitter: options.jitter ?? 0.25,
    maxRetries: options.maxRetries ?? 3,
    backoff: options.retryBackoffMs ?? 2000,
    hostTimeout: options.hostTimeoutMs ?? 90 * MINUTE,
  };
  const stats = { requests: 0, rateLimited: 0 };
  let slots: AssessmentSlots | undefined;
  const summary = (unfinished: string[]): SslLabsRunSummary => ({
    ...stats,
    peakConcurrent: slots?.peakOwn ?? 0,
    maxAssessments: slots?.maxAssessments ?? 0,
    unfinished,
  });
  const progress = (event: SslLabsProgress): void => options.onProgress?.(event);
  const message = (text: string): void => options.onMessage?.(text);

  const run = new AbortController();
  const runSignal = options.signal ? AbortSignal.any([options.signal, run.signal]) : run.signal;

  const send = async (call: () => Promise<ApiResponse>): Promise<ApiResponse> => {
    stats.requests += 1;
    const response = await call();
    slots?.update(response.rate, response.sentAt);
    if (response.outcome.kind === 'rate-limited') stats.rateLimited += 1;
    if (response.outcome.kind === 'unregistered') {
      throw new SslLabsRegistrationError(api.email, response.outcome.message);
    }
    return response;
  };

  for (const host of unique) progress({ host, state: 'queued' });

  // The documented first call: engine version, limits, cool-off and messages for the user.
  let info: SslLabsInfo;
  try {
    info = await fetchInfo(api, send, settings, runSignal, message);
  } catch (error) {
    if (runSignal.aborted) return summary(unique);
    if (error instanceof SslLabsRegistrationError) throw error;
    const reason = `SSL Labs API unavailable: ${errorMessage(error)}`;
    for (const host of unique) {
      progress({ host, state: 'failed', message: reason });
      yield failedHost(host, reason, api.baseUrl);
    }
    return summary([]);
  }
  // Only a list's texts are messages: an odd info answer must not end the run.
  const infoMessages: unknown[] = Array.isArray(info.messages) ? info.messages : [];
  for (const text of infoMessages) if (typeof text === 'string') message(`SSL Labs: ${text}`);
  const maxFromInfo = typeof info.maxAssessments === 'number' ? info.maxAssessments : 1;
  const coolOff =
    typeof info.newAssessmentCoolOff === 'number' && info.newAssessmentCoolOff >= 0
      ? info.newAssessmentCoolOff
      : DEFAULT_COOL_OFF_MS;
  const userCap = options.concurrency !== undefined && options.concurrency > 0 ? options.concurrency : Infinity;
  const limit = pLimit(Math.max(1, Math.min(userCap, maxFromInfo)));
  slots = new AssessmentSlots({
    maxAssessments: maxFromInfo,
    coolOffMs: coolOff,
    coolOffMarginMs: options.coolOffMarginMs ?? 100,
    recheckMs: settings.pending,
    refresh: async (signal) => {
      try {
        const r = await send(() => api.info(signal));
        if (r.outcome.kind === 'ok') {
          const body = r.outcome.body as SslLabsInfo;
          const rate = { ...r.rate };
          if (typeof body.currentAssessments === 'number') rate.currentAssessments ??= body.currentAssessments;
          if (typeof body.maxAssessments === 'number') rate.maxAssessments ??= body.maxAssessments;
          slots?.update(rate, r.sentAt);
        }
      } catch (error) {
        if (error instanceof SslLabsRegistrationError || signal?.aborted) throw error;
      }
    },
    onMaxChange: (max) => {
      limit.concurrency = Math.max(1, Math.min(userCap, max));
    },
  });
  slots.update({ currentAssessments: info.currentAssessments }, 0);
  if (maxFromInfo <= 0) {
    const reason = 'SSL Labs allows this client no new assessments now (maxAssessments is 0).';
    for (const host of unique) yield failedHost(host, reason, api.baseUrl);
    return summary([]);
  }

  const done: TargetObservation[][] = [];
  const finished = new Set<string>();
  let fatal: unknown;
  let wake: () => void = () => {};
  const ctx: HostContext = { api, send, slots, settings, options, runSignal, progress, message };
  const tasks = unique.map((host) =>
    limit(async () => {
      if (runSignal.aborted) return;
      try {
        const observations = await assessHost(host, ctx);
        if (observations !== undefined) {
          done.push(observations);
          finished.add(host);
        }
      } catch (error) {
        if (!runSignal.aborted) {
          fatal ??= error;
          run.abort(error);
        }
      } finally {
        wake();
      }
    }),
  );
  const all = Promise.all(tasks);
  let settled = false;
  void all.then(() => {
    settled = true;
    wake();
  });

  try {
    for (;;) {
      const batch = done.shift();
      if (batch !== undefined) {
        for (const observation of batch) yield observation;
        continue;
      }
      if (settled || runSignal.aborted) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // A consumer that stops early (or an abort) must not leave assessments polling in the background.
    // Queued tasks are not cleared (their promises would never settle): each returns at once on abort.
    if (!run.signal.aborted) run.abort(new Error('run ended'));
  }
  await all;
  if (fatal !== undefined && options.signal?.aborted !== true) throw fatal;
  for (const batch of done.splice(0)) for (const observation of batch) yield observation;
  return summary(unique.filter((h) => !finished.has(h)));
}

interface HostContext {
  api: SslLabsApi;
  send: (call: () => Promise<ApiResponse>) => Promise<ApiResponse>;
  slots: AssessmentSlots;
  settings: Settings;
  options: SslLabsAssessOptions;
  runSignal: AbortSignal;
  progress: (event: SslLabsProgress) => void;
  message: (text: string) => void;
}

class HostDeadline extends Error {}

/** One host from the first analyze call to READY/ERROR; undefined when the run was aborted. */
async function assessHost(input: string, ctx: HostContext): Promise<TargetObservation[] | undefined> {
  const { api, settings, options } = ctx;
  const target = parseTarget(input);
  if ('error' in target) {
    ctx.progress({ host: input, state: 'failed', message: target.error });
    return [failedHost(input, target.error, api.baseUrl, target.port)];
  }
  const host = target.host;
  const deadline = new AbortController();
  const deadlineAt = Date.now() + settings.hostTimeout;
  // setTimeout fires at once for delays beyond 2^31-1 ms (about 24.8 days): a longer one, or Infinity, is no deadline.
  const timer =
    settings.hostTimeout <= 2 ** 31 - 1 ? setTimeout(() => deadline.abort(new HostDeadline()), settings.hostTimeout) : undefined;
  const signal = AbortSignal.any([ctx.runSignal, deadline.signal]);
  const fromCache = options.fromCache === true || options.maxAgeHours !== undefined;
  let following = false;
  let startTime: number | undefined;
  let restarts = 0;
  let failures = 0;
  let unavailable = 0;
  let lastState = 'not started';
  const notes: string[] = [];

  const fail = (reason: string): TargetObservation[] => {
    ctx.progress({ host: input, state: 'failed', message: reason });
    return [failedHost(input, reason, api.baseUrl, undefined, notes)];
  };

  try {
    for (;;) {
      const params: Record<string, string> = { host, all: 'done' };
      if (options.publish === true) params.publish = 'on';
      if (fromCache) {
        params.fromCache = 'on';
        if (options.maxAgeHours !== undefined) params.maxAge = String(options.maxAgeHours);
      } else if (!following) {
        params.startNew = 'on';
      }
      if (options.ignoreMismatch === true) params.ignoreMismatch = 'on';

      let ticket: StartTicket | undefined;
      if (!following) {
        ctx.progress({ host: input, state: 'waiting', message: 'waiting for a free assessment slot' });
        ticket = await ctx.slots.acquire(signal);
      }
      let response: ApiResponse;
      try {
        response = await ctx.send(() => api.analyze(params, signal));
      } catch (error) {
        ticket?.done(false);
        throw error;
      }
      const outcome: ApiOutcome = response.outcome;
      const body = outcome.kind === 'ok' ? (outcome.body as SslLabsHost) : undefined;
      const status = typeof body?.status === 'string' ? body.status : undefined;
      if (ticket !== undefined) {
        const acknowledged = status === 'DNS' || status === 'IN_PROGRESS';
        ticket.done(acknowledged);
        if (acknowledged) following = true;
      }

      if (outcome.kind === 'ok') {
        if (body === undefined || status === undefined || typeof body !== 'object') {
          failures += 1;
          if (failures > settings.maxRetries) return fail('SSL Labs answered without an assessment status.');
          await sleep(backoff(settings, failures), signal);
          continue;
        }
        failures = 0;
        unavailable = 0;
        lastState = status;
        if (typeof body.startTime === 'number') {
          if (startTime !== undefined && body.startTime > startTime) {
            // Someone (another client, or SSL Labs itself) started the assessment over.
            restarts += 1;
            const at = new Date(body.startTime);
            notes.push(`The SSL Labs assessment restarted${Number.isNaN(at.getTime()) ? '' : ` at ${at.toISOString()}`}.`);
            ctx.message(`${input}: the SSL Labs assessment restarted; following the new one.`);
            if (restarts > MAX_RESTARTS) return fail(`The SSL Labs assessment restarted ${restarts} times.`);
          }
          startTime = body.startTime;
        }
        if (status === 'READY' || status === 'ERROR') {
          ctx.progress({ host: input, state: status, progress: 100, message: body.statusMessage ?? status });
          const observations = normaliseSslLabsHost(body, { origin: api.baseUrl, host: input });
          if (notes.length > 0) for (const o of observations) for (const r of o.runs) (r.notes ??= []).push(...notes);
          return observations;
        }
        const p = progressOf(body);
        ctx.progress({ host: input, state: status === 'IN_PROGRESS' ? 'IN_PROGRESS' : 'DNS', ...p });
        await sleep(status === 'IN_PROGRESS' ? settings.inProgress : settings.pending, signal);
        continue;
      }

      switch (outcome.kind) {
        case 'rate-limited': {
          const wait = withJitter(settings.rateLimit, settings.jitter);
          if (pastDeadline(wait, deadlineAt)) return fail(tooLate('HTTP 429', wait, settings));
          ctx.message(`${input}: SSL Labs answered 429 (too many assessments); retrying in ${formatWait(wait)}.`);
          ctx.progress({ host: input, state: 'retrying', message: `HTTP 429, retrying in ${formatWait(wait)}` });
          await sleep(wait, signal);
          continue;
        }
        case 'unavailable': {
          unavailable += 1;
          const wait = unavailableWait(outcome, settings, unavailable);
          if (pastDeadline(wait, deadlineAt)) return fail(tooLate(`HTTP ${outcome.status}`, wait, settings));
          ctx.message(`${input}: ${outcome.message}; retrying in ${formatWait(wait)}.`);
          ctx.progress({ host: input, state: 'retrying', message: `HTTP ${outcome.status}, retrying in ${formatWait(wait)}` });
          await sleep(wait, signal);
          continue;
        }
        case 'transient': {
          failures += 1;
          if (failures > settings.maxRetries) {
            return fail(`${capitalise(outcome.message)} (gave up after ${failures} attempts).`);
          }
          const wait = backoff(settings, failures);
          ctx.progress({ host: input, state: 'retrying', message: `${outcome.message}; retrying in ${formatWait(wait)}` });
          await sleep(wait, signal);
          continue;
        }
        case 'invalid':
          return fail(`${capitalise(outcome.message)}.`);
        case 'unregistered':
          throw new SslLabsRegistrationError(api.email, outcome.message);
      }
    }
  } catch (error) {
    if (ctx.runSignal.aborted) return undefined;
    if (deadline.signal.aborted) {
      return fail(`No SSL Labs result within ${formatWait(settings.hostTimeout)} (last status: ${lastState}).`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    if (following) ctx.slots.release();
  }
}

async function fetchInfo(
  api: SslLabsApi,
  send: (call: () => Promise<ApiResponse>) => Promise<ApiResponse>,
  settings: Settings,
  signal: AbortSignal,
  message: (text: string) => void,
): Promise<SslLabsInfo> {
  let failures = 0;
  let unavailable = 0;
  const deadlineAt = Date.now() + settings.hostTimeout;
  for (;;) {
    const response = await send(() => api.info(signal));
    const { outcome } = response;
    if (outcome.kind === 'ok') {
      if (outcome.body === null || typeof outcome.body !== 'object') throw new Error('info answered without an Info object');
      const info = { ...(outcome.body as SslLabsInfo) };
      // Headers win over the body: they are the limits that apply to this very client.
      if (response.rate.maxAssessments !== undefined) info.maxAssessments = response.rate.maxAssessments;
      return info;
    }
    if (outcome.kind === 'invalid') throw new Error(outcome.message);
    if (Date.now() > deadlineAt) throw new Error(outcome.message);
    let wait: number;
    if (outcome.kind === 'unavailable') {
      unavailable += 1;
      wait = unavailableWait(outcome, settings, unavailable);
    } else if (outcome.kind === 'rate-limited') {
      wait = withJitter(settings.rateLimit, settings.jitter);
    } else {
      failures += 1;
      if (failures > settings.maxRetries) throw new Error(`${outcome.message} (gave up after ${failures} attempts)`);
      wait = backoff(settings, failures);
    }
    if (pastDeadline(wait, deadlineAt)) {
      throw new Error(tooLate(outcome.kind === 'unavailable' ? `HTTP ${outcome.status}` : outcome.message, wait, settings).replace(/\.$/, ''));
    }
    message(`SSL Labs info: ${outcome.message}; retrying in ${formatWait(wait)}.`);
    await sleep(wait, signal);
  }
}

/** Progress over a host's endpoints: they are tested one after another, so ETAs add up. */
export function progressOf(host: SslLabsHost): Pick<SslLabsProgress, 'progress' | 'etaSeconds' | 'message'> {
  // Only objects count as endpoints: a damaged progress answer must not end the run.
  const endpoints = (Array.isArray(host.endpoints) ? host.endpoints : []).filter((e) => e !== null && typeof e === 'object');
  const out: Pick<SslLabsProgress, 'progress' | 'etaSeconds' | 'message'> = {};
  if (host.status === 'DNS') out.progress = 0;
  if (endpoints.length > 0) {
    const values = endpoints.map((e) => (typeof e.progress === 'number' && e.progress > 0 ? Math.min(100, e.progress) : 0));
    out.progress = Math.round(values.reduce((a, b) => a + b, 0) / endpoints.length);
    const etas = endpoints
      .filter((e) => (e.progress ?? 0) < 100 && typeof e.eta === 'number' && e.eta > 0)
      .map((e) => e.eta as number);
    if (etas.length > 0) out.etaSeconds = etas.reduce((a, b) => a + b, 0);
    const active = endpoints.find((e) => e.statusDetailsMessage);
    if (active?.statusDetailsMessage) out.message = active.statusDetailsMessage;
  }
  if (out.message === undefined && host.statusMessage) out.message = host.statusMessage;
  return out;
}

/** SSL Labs assesses HTTPS on port 443 only; "name:443" is accepted, other ports are refused per host. */
function parseTarget(input: string): { host: string } | { error: string; port: number } {
  const m = /^([^:\s]+):(\d+)$/.exec(input);
  if (m === null) return { host: input };
  const port = Number(m[2]);
  if (port === 443) return { host: m[1] as string };
  return { error: `SSL Labs assesses port 443 only, not ${port}; use "tlsaudit probe ${input}" instead.`, port };
}

function failedHost(host: string, reason: string, origin: string, port = 443, notes: string[] = []): TargetObservation {
  const run: TargetObservation['runs'][number] = { source: 'ssllabs', origin, error: reason };
  if (notes.length > 0) run.notes = [...notes];
  return { host, port, service: 'https', sources: ['ssllabs'], runs: [run], protocols: [], error: reason };
}

function backoff(settings: Settings, failures: number): number {
  return withJitter(settings.backoff * 2 ** Math.min(failures - 1, 30), settings.jitter);
}

/**
 * How long to wait after the n-th 503/529 in a row: what Retry-After asks, or the documented 15/30 min,
 * but never less than a backoff that doubles (from retryBackoffMs) up to that fallback, so `Retry-After: 0`
 * or a date in the past cannot make a hot loop.
 */
function unavailableWait(outcome: Extract<ApiOutcome, { kind: 'unavailable' }>, settings: Settings, n: number): number {
  const fallback = outcome.status === 529 ? settings.overloaded : settings.maintenance;
  const floor = Math.min(backoff(settings, n), fallback);
  return Math.max(outcome.retryAfterMs ?? withJitter(fallback, settings.jitter), floor);
}

/** A wait that would end after the deadline is not waited: the host fails now, saying why. */
function pastDeadline(wait: number, deadlineAt: number): boolean {
  return Date.now() + wait > deadlineAt;
}

function tooLate(what: string, wait: number, settings: Settings): string {
  return `SSL Labs asked to come back in ${formatWait(wait)} (${what}), past the ${formatWait(settings.hostTimeout)} deadline; not waiting.`;
}

function formatWait(ms: number): string {
  if (ms >= 48 * 60 * MINUTE) return `${Math.round(ms / (24 * 60 * MINUTE))} days`;
  if (ms >= 120 * MINUTE) return `${Math.round(ms / (60 * MINUTE))} h`;
  if (ms >= MINUTE) return `${Math.round(ms / MINUTE)} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${ms} ms`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
