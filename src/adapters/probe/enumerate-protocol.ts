import type { CipherPreference } from '../../model/target.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import { groupById, groupByName, suiteByName } from '../../registry/index.js';
import { certificateKey } from './certificate-key.js';
import { parseServerKeyExchange } from './codec/server-key-exchange.js';
import { candidateSuites, keyExchangeFamily, suiteInfo } from './candidates.js';
import { versionName, type HelloResult } from './judge-answer.js';
import { pause } from './pause.js';
import type { KnownGood, ProbeSession } from './probe-session.js';

/**
 * Hello sizes, largest first. The first hello of a protocol offers every candidate (about 385 suites for
 * TLS <= 1.2), which tolerant servers answer in one round trip. A server that hangs up on it without a
 * word, or answers with an alert that says it could not read it (wolfSSL sends decode_error for more than
 * 150 suites), gets the same offer in smaller windows: 128 suites, the most some TLS stacks accept in one
 * ClientHello (a limit testssl.sh and SSL Labs' research on handshake intolerance also work with), then
 * 64 and 32.
 */
export const WINDOW_SIZES = [Number.POSITIVE_INFINITY, 128, 64, 32] as const;

/**
 * Pauses before each retry of a hello met with a reset, a close without an answer or a timeout: a reset
 * is never a refusal, so the same hello is asked again, up to this many times, before the question is
 * left open. A timeout is retried once at most (each costs a whole deadline), and only once the server
 * has answered something, so a tarpit costs one deadline.
 */
export const RETRY_DELAYS_MS = [100, 250, 500, 1000] as const;

/**
 * Suites every stack that speaks a protocol implements (RFC 5246 §9, RFC 8446 §9.1, and the ECDHE suites
 * of RFC 8422/5289 every current stack has): a hello of only these is one any server can read. Used once,
 * when every window of a protocol's offer met internal_error.
 */
const WIDELY_IMPLEMENTED: Readonly<Record<ProtocolVersion, readonly string[]>> = {
  SSLv2: [],
  SSLv3: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  'TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  'TLSv1.1': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
};

export interface AcceptedSuite {
  code: number;
  /** IANA group name from key_share or ServerKeyExchange. */
  group?: string;
  kexBits?: number;
  kexInfo?: string;
  /** The suites offered in the hello that chose this one (for the preference order check). */
  offered: readonly number[];
}

export interface ProtocolOutcome {
  version: ProtocolVersion;
  /** Accepted suites; in the server's order when `preference` is 'server'. */
  accepted: AcceptedSuite[];
  preference?: CipherPreference;
  /** Why the protocol counts as not offered, when it does. */
  unsupported?: string;
  /** Why the enumeration did not finish: what it found is real, what it did not find proves nothing. */
  error?: string;
  /** Other things left unsettled (a suite's key exchange, the preference order). */
  gaps: string[];
  /**
   * Every hello of this protocol was met with silence, down to the smallest window and after every
   * retry, and no hello the server accepts was at hand to tell deliberate silence from an outage:
   * settled (by settleSilence) once the other protocols are done.
   */
  silent?: { offered: number[]; reason: string };
  notes: string[];
}

/** A hello that got no TLS answer on any attempt. */
interface Unsettled {
  kind: 'unsettled';
  reason: string;
  /** Every attempt ended in a close or reset without a byte (not a timeout, not a cut-off answer). */
  silentEveryTime: boolean;
}

function isTransient(r: HelloResult, session: ProbeSession): boolean {
  return !session.stopped && (r.kind === 'silent' || (r.kind === 'failed' && !r.fatal));
}

/**
 * Asks one hello until it gets a TLS answer (a ServerHello or an alert), a fatal failure, or runs out of
 * retries. With `shrinkable`, a first attempt met with silence is returned at once: a shorter hello is
 * worth trying before the same one again.
 */
export async function askSettled(
  session: ProbeSession,
  version: ProtocolVersion,
  offered: readonly number[],
  shrinkable = false,
  onRetry?: (reason: string) => void,
): Promise<HelloResult | Unsettled> {
  let silentEveryTime = true;
  for (let attempt = 0; ; attempt++) {
    const r = await session.hello(version, offered);
    if (!isTransient(r, session)) {
      if (attempt > 0 && r.kind !== 'failed') session.flaky = true;
      return r;
    }
    if (attempt === 0 && shrinkable && r.kind === 'silent') return r;
    const failed = r as Extract<HelloResult, { kind: 'silent' | 'failed' }>;
    const timeout = failed.kind === 'failed' && failed.timeout === true;
    silentEveryTime &&= failed.kind === 'silent';
    const retries = timeout ? (session.answered ? 1 : 0) : RETRY_DELAYS_MS.length;
    if (attempt >= retries) {
      return { kind: 'unsettled', reason: `${failed.reason} (${attempt + 1} ${attempt === 0 ? 'attempt' : 'attempts'})`, silentEveryTime };
    }
    session.stats.retries++;
    onRetry?.(failed.reason);
    await pause(timeout ? 0 : RETRY_DELAYS_MS[attempt]!, session.signal);
    if (session.stopped) return { kind: 'failed', fatal: false, reason: session.fatal ?? 'the probe was cancelled' };
  }
}

/**
 * Silence the server keeps up on every retry is its answer only if the server still answers a hello it
 * accepts: then it hangs up on purpose (Schannel resets the connection for a disabled protocol or when no
 * offered suite is enabled). If the control goes unanswered too, the server stopped answering (a rate
 * limit, a crash, fail2ban), and nothing is settled.
 */
async function serverStillAnswers(session: ProbeSession, control: KnownGood): Promise<boolean> {
  const c = await askSettled(session, control.version, [control.suite]);
  return c.kind === 'accepted';
}

/** A hello of only widely implemented suites, answered with internal_error as well. */
async function internalErrorToEveryHello(session: ProbeSession, version: ProtocolVersion): Promise<boolean> {
  const codes = WIDELY_IMPLEMENTED[version].map((name) => suiteByName(name)?.code).filter((c): c is number => c !== undefined);
  if (codes.length === 0) return false;
  const r = await askSettled(session, version, codes);
  return r.kind === 'refused' && !r.clean && r.alert === 'internal_error';
}

/**
 * Finds the suites a server accepts with one protocol by iterative removal: offer the candidates, drop
 * the one the server picks, offer again, until the server refuses what is left. Every round removes at
 * least one suite or shrinks the window, and the loop is also capped, so it always ends.
 */
export async function enumerateProtocol(session: ProbeSession, version: ProtocolVersion): Promise<ProtocolOutcome> {
  const out: ProtocolOutcome = { version, accepted: [], gaps: [], notes: [] };
  const pending = candidateSuites(version);
  let tier = 0;
  const retried = new Map<string, number>();
  const onRetry = (reason: string) => retried.set(reason, (retried.get(reason) ?? 0) + 1);
  const ask = (suites: readonly number[], shrinkable = false) => askSettled(session, version, suites, shrinkable, onRetry);
  const maxRounds = pending.length + WINDOW_SIZES.length + 3;
  // An SSLv3 hello carries the renegotiation SCSV as well, which counts against the window.
  const windowOf = (t: number) => WINDOW_SIZES[t]! - (version === 'SSLv3' ? 1 : 0);
  /** Moves to the next smaller window when that is smaller than this hello; false when none is left. */
  const shrink = (offered: number, why: string): boolean => {
    let next = tier + 1;
    while (next < WINDOW_SIZES.length && windowOf(next) >= offered) next++;
    if (next >= WINDOW_SIZES.length) return false;
    tier = next;
    out.notes.push(`${version}: ${why} to a hello of ${offered} suites; retrying with ${windowOf(tier)}`);
    return true;
  };
  // Every hello of this protocol so far was met with silence (the whole offer included).
  let allSilent = true;
  for (let round = 0; round < maxRounds && pending.length > 0 && !session.stopped; round++) {
    const offered = pending.slice(0, Math.min(pending.length, windowOf(tier)));
    const first = out.accepted.length === 0;
    let r = await ask(offered, !session.longHellosOk);
    if (r.kind === 'silent') {
      // A first attempt met with silence: some stacks hang up on long hellos; if this is the smallest, ask again.
      if (shrink(offered.length, 'no answer')) continue;
      r = await ask(offered);
      // The same hello, answered on a second connection after silence on the first: connections get dropped.
      if (r.kind !== 'unsettled' && r.kind !== 'failed' && r.kind !== 'silent') session.flaky = true;
    }
    if (r.kind !== 'unsettled' || !r.silentEveryTime) allSilent = false;
    if (r.kind === 'accepted') {
      // The ServerHello came, the ServerKeyExchange did not: ask again (twice at most) for the whole flight.
      for (let i = 0; i < 2 && r.flightComplete === false && needsRestOfFlight(r.suite) && !session.stopped; i++) {
        onRetry('the server went quiet after its ServerHello');
        const again = await ask(offered);
        if (again.kind === 'accepted' && again.suite === r.suite && again.flightComplete !== false) {
          r = again;
          session.flaky = true;
        }
      }
      if (r.flightComplete === false && needsRestOfFlight(r.suite)) {
        out.gaps.push(`the key exchange of ${suiteName(r.suite)} was not seen (the server went quiet after its ServerHello)`);
      }
      remove(pending, r.suite);
      out.accepted.push(describeAccepted(r, offered));
      if (tier > 0 && out.accepted.length === 1) out.notes.push(`${version}: a window of ${windowOf(tier)} suites worked`);
    } else if (r.kind === 'downgraded') {
      if (first) {
        out.unsupported = `the server answered with ${versionName(r.version)}`;
        break;
      }
      // Some servers pick a suite they enable for another version only; leave it out and go on.
      remove(pending, r.suite);
    } else if (r.kind === 'refused') {
      if (!r.clean) {
        // The server may have choked on the hello itself (its length, a suite it cannot parse): only a
        // clean refusal of a hello it could read says "not offered".
        if (shrink(offered.length, `alert ${r.alert}`)) continue;
        // internal_error says the server read the hello and failed on its side (OpenSSL 3 does this for TLS 1.0
        // and 1.1 when its security level leaves it no signature it may use). If a hello of only the suites
        // every stack implements meets it too, no handshake with this protocol can complete: not offered.
        // Alerts about the hello itself (decode_error, ...) stay unsettled: the server may not have read it.
        if (first && r.alert === 'internal_error' && (await internalErrorToEveryHello(session, version))) {
          out.unsupported = `alert internal_error to every hello, a small one of widely implemented suites included`;
          out.notes.push(`${version}: alert internal_error to every hello, also to one of only widely implemented suites: no handshake completes with it`);
          break;
        }
        out.error = `every hello down to ${offered.length} suites was answered with alert ${r.alert}, which refuses no suite`;
        break;
      }
      if (first && (r.protocolVersion || offered.length === pending.length)) {
        out.unsupported = `alert ${r.alert}`;
        break;
      }
      pending.splice(0, offered.length);
    } else if (r.kind === 'unsettled') {
      if (!r.silentEveryTime) {
        out.error = r.reason;
        break;
      }
      const control: KnownGood | undefined = out.accepted[0] ? { version, suite: out.accepted[0].code } : session.knownGood;
      // Silence to every hello of a protocol, the whole offer included, is how some servers (Schannel) say
      // they do not speak it; it counts as that only once the server is shown to answer something else,
      // and never from a server that drops connections at random: decided once the other protocols are
      // done (settleSilence), when that is known.
      if (first && (offered.length === pending.length || allSilent)) {
        out.silent = { offered, reason: r.reason };
        break;
      }
      if (session.flaky) {
        out.error = `${r.reason}; the server dropped other hellos it then answered when asked again, so its silence here proves nothing`;
        break;
      }
      if (!control) {
        out.error = `${r.reason}; no hello the server accepts was at hand to tell a deliberate hang-up from an outage`;
        break;
      }
      if (!(await serverStillAnswers(session, control))) {
        out.error = `${r.reason}, and a hello it had accepted went unanswered too`;
        break;
      }
      out.notes.push(`${version}: the server hung up on a hello of ${offered.length} suites on every attempt while it still accepted another; none of them counts as accepted`);
      pending.splice(0, offered.length);
    } else {
      // A fatal answer (the session is stopped) or a cancelled run.
      break;
    }
  }
  // Stopped between hellos (cancelled, or another protocol met a fatal answer): what is left was never asked.
  if (session.stopped && pending.length > 0 && out.unsupported === undefined && out.error === undefined) out.error = session.fatal ?? CANCELLED;
  if (out.accepted.length === 0 && out.unsupported === undefined && out.error === undefined && out.silent === undefined) out.unsupported = 'no suite accepted';
  if (out.accepted.length >= 2 && !session.stopped && out.error === undefined) {
    const preference = await findPreference(session, version, out.accepted);
    if (typeof preference === 'string') {
      out.preference = preference;
      if (preference === 'server') await ensureServerOrder(session, version, out);
    } else {
      out.gaps.push(`whose order decides was not settled (${preference.unsettled})`);
    }
  } else if (out.accepted.length === 1) {
    out.preference = 'indeterminate';
  }
  for (const [reason, n] of retried) out.notes.push(`${version}: ${reason}; asked again${n > 1 ? ` (${n} times)` : ''}`);
  return out;
}

export const CANCELLED = 'the probe was cancelled';

/**
 * A protocol met with silence before any hello was accepted gets its answer once the others are done: if
 * the server accepts some other hello, its silence for this protocol is on purpose (not offered);
 * otherwise nothing is settled.
 */
export async function settleSilence(session: ProbeSession, out: ProtocolOutcome): Promise<void> {
  const silent = out.silent;
  if (!silent) return;
  delete out.silent;
  const control = session.knownGood;
  if (!control || session.stopped) {
    out.error = session.stopped && session.fatal === undefined ? CANCELLED : silent.reason;
    return;
  }
  if (session.flaky) {
    out.error = `${silent.reason}; the server dropped other hellos it then answered when asked again, so its silence here proves nothing`;
    return;
  }
  if (!(await serverStillAnswers(session, control))) {
    out.error = `${silent.reason}, and a hello it had accepted went unanswered too`;
    return;
  }
  // Asked again now that the server is known to be up: a single lost connection earlier proves nothing.
  const r = await askSettled(session, out.version, silent.offered);
  if (r.kind === 'unsettled' && r.silentEveryTime) {
    out.unsupported = `${silent.reason}, while it still accepted another hello`;
    out.notes.push(`${out.version}: counted as not offered: ${out.unsupported}`);
  } else if (r.kind === 'refused' && r.clean) out.unsupported = `alert ${r.alert}`;
  else if (r.kind === 'downgraded') out.unsupported = `the server answered with ${versionName(r.version)}`;
  else out.error = `${silent.reason}; asked again, it answered ${r.kind === 'unsettled' ? r.reason : r.kind === 'refused' ? `alert ${r.alert}` : r.kind}`;
}

function needsRestOfFlight(code: number): boolean {
  const suite = suiteInfo(code);
  return suite !== undefined && keyExchangeFamily(suite) !== undefined;
}

function suiteName(code: number): string {
  return suiteInfo(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/**
 * Whose order decides. If the server picked a suite while an accepted one stood before it in our offer,
 * its own order decided, and no extra handshake is needed. If the other stood after it, one hello with the
 * two in reverse order tells (nmap's ssl-enum-ciphers compares both orders; the first is already known).
 * Otherwise both orders are offered.
 */
async function findPreference(session: ProbeSession, version: ProtocolVersion, accepted: AcceptedSuite[]): Promise<CipherPreference | { unsettled: string }> {
  const [a, b] = accepted as [AcceptedSuite, AcceptedSuite];
  const ia = a.offered.indexOf(a.code);
  const ib = a.offered.indexOf(b.code);
  if (ib >= 0 && ib < ia) return 'server';
  const reversed = await askSettled(session, version, [b.code, a.code]);
  if (reversed.kind === 'unsettled') return { unsettled: reversed.reason };
  if (reversed.kind !== 'accepted') return 'indeterminate';
  if (reversed.suite === a.code) return 'server';
  if (ib > ia) return 'client';
  const forward = await askSettled(session, version, [a.code, b.code]);
  if (forward.kind === 'unsettled') return { unsettled: forward.reason };
  if (forward.kind !== 'accepted') return 'indeterminate';
  return forward.suite === a.code ? 'client' : 'server';
}

/**
 * The removal order is the server's order only if every later pick was on offer when an earlier one
 * was chosen. With one hello holding every candidate that is always so; otherwise re-rank by removal
 * over the accepted suites alone.
 */
async function ensureServerOrder(session: ProbeSession, version: ProtocolVersion, out: ProtocolOutcome): Promise<void> {
  const picks = out.accepted;
  const consistent = picks.every((p, i) => picks.slice(i + 1).every((q) => p.offered.includes(q.code)));
  if (consistent || picks.length > 128) return;
  const byCode = new Map(picks.map((p) => [p.code, p]));
  const left = picks.map((p) => p.code);
  const ordered: AcceptedSuite[] = [];
  while (left.length > 1 && !session.stopped) {
    const r = await askSettled(session, version, left);
    if (r.kind !== 'accepted' || !left.includes(r.suite)) {
      if (r.kind === 'unsettled') out.gaps.push(`the server's order was not settled (${r.reason})`);
      else out.notes.push(`${version}: could not rank the server's suites (${r.kind})`);
      return;
    }
    remove(left, r.suite);
    ordered.push(byCode.get(r.suite)!);
  }
  ordered.push(...left.map((c) => byCode.get(c)!));
  out.accepted = ordered;
}

function describeAccepted(r: Extract<HelloResult, { kind: 'accepted' }>, offered: readonly number[]): AcceptedSuite {
  const a: AcceptedSuite = { code: r.suite, offered };
  if (r.group !== undefined) {
    const g = groupById(r.group);
    a.group = g?.name ?? `0x${r.group.toString(16).padStart(4, '0')}`;
    if (g?.bits !== undefined) a.kexBits = g.bits;
    a.kexInfo = a.group;
    return a;
  }
  const suite = suiteInfo(r.suite);
  const family = suite ? keyExchangeFamily(suite) : undefined;
  if (family && r.serverKeyExchange) {
    const ske = parseServerKeyExchange(r.serverKeyExchange, family);
    if (ske.kind === 'ok') {
      const v = ske.value;
      if (v.kind === 'ecdh-named') {
        const g = groupById(v.group);
        a.group = g?.name ?? `0x${v.group.toString(16).padStart(4, '0')}`;
        if (g?.bits !== undefined) a.kexBits = g.bits;
        a.kexInfo = a.group;
      } else if (v.kind === 'dh') {
        a.kexBits = v.primeBits;
        a.kexInfo = `dh ${v.primeBits}`;
      } else if (v.kind === 'rsa') {
        a.kexBits = v.modulusBits;
        a.kexInfo = `rsa ${v.modulusBits}`;
      } else {
        a.kexInfo = 'explicit curve';
      }
      return a;
    }
  }
  // Plain RSA and static ECDH take their key exchange from the certificate, and a server holding an RSA
  // and an ECDSA certificate picks one per handshake: only the one served with this suite tells its size.
  const leaf = r.certificates?.[0];
  if (suite && !suite.anonymous && leaf && (suite.keyExchange === 'RSA' || suite.keyExchange === 'ECDH')) {
    const key = certificateKey(leaf);
    if (suite.keyExchange === 'RSA' && key?.type === 'rsa' && key.bits !== undefined) {
      a.kexBits = key.bits;
      a.kexInfo = `rsa ${key.bits}`;
    } else if (suite.keyExchange === 'ECDH' && key?.type === 'ec' && key.curve) {
      const g = groupByName(key.curve);
      a.group = g?.name ?? key.curve;
      if (g?.bits !== undefined) a.kexBits = g.bits;
      a.kexInfo = a.group;
    }
  }
  return a;
}

function remove(list: number[], code: number): void {
  const i = list.indexOf(code);
  if (i >= 0) list.splice(i, 1);
}

