import type { CipherPreference } from '../../model/target.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import { groupById, groupByName } from '../../registry/index.js';
import { certificateKey } from './certificate-key.js';
import { parseServerKeyExchange } from './codec/server-key-exchange.js';
import { candidateSuites, keyExchangeFamily, suiteInfo } from './candidates.js';
import { versionName, type HelloResult } from './judge-answer.js';
import type { ProbeSession } from './probe-session.js';

/**
 * Hello sizes, largest first. The first hello of a protocol offers every candidate (about 385 suites for
 * TLS <= 1.2), which tolerant servers answer in one round trip; a server that hangs up on it without a
 * word gets the same offer in windows of 128 suites, the most some TLS stacks accept in one
 * ClientHello (a limit testssl.sh and SSL Labs' research on handshake intolerance also work with).
 */
export const WINDOW_SIZES = [Number.POSITIVE_INFINITY, 128] as const;

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
  /** A failure that cut the enumeration short (timeout, reset mid-way). */
  error?: string;
  notes: string[];
}

/**
 * Finds the suites a server accepts with one protocol by iterative removal: offer the candidates, drop
 * the one the server picks, offer again, until the server refuses what is left. Every round removes at
 * least one suite or shrinks the window, and the loop is also capped, so it always ends.
 */
export async function enumerateProtocol(session: ProbeSession, version: ProtocolVersion): Promise<ProtocolOutcome> {
  const out: ProtocolOutcome = { version, accepted: [], notes: [] };
  const pending = candidateSuites(version);
  let tier = 0;
  let retried = false;
  const maxRounds = pending.length + WINDOW_SIZES.length + 3;
  for (let round = 0; round < maxRounds && pending.length > 0 && !session.stopped; round++) {
    // An SSLv3 hello carries the renegotiation SCSV as well, which counts against the window.
    const windowSize = WINDOW_SIZES[tier]! - (version === 'SSLv3' ? 1 : 0);
    const offered = pending.slice(0, Math.min(pending.length, windowSize));
    const r = await session.hello(version, offered);
    const first = out.accepted.length === 0;
    if (r.kind === 'accepted') {
      remove(pending, r.suite);
      out.accepted.push(describeAccepted(r, offered));
    } else if (r.kind === 'downgraded') {
      if (first) {
        out.unsupported = `the server answered with ${versionName(r.version)}`;
        break;
      }
      // Some servers pick a suite they enable for another version only; leave it out and go on.
      remove(pending, r.suite);
    } else if (r.kind === 'refused') {
      if (first && (r.protocolVersion || offered.length === pending.length)) {
        out.unsupported = `alert ${r.alert}`;
        break;
      }
      pending.splice(0, offered.length);
    } else if (r.kind === 'silent') {
      const next = WINDOW_SIZES[tier + 1];
      if (next !== undefined && offered.length > next && !session.longHellosOk) {
        tier++;
        out.notes.push(`${version}: the server closed on a hello of ${offered.length} suites; retrying with ${next}`);
        continue;
      }
      // Nothing accepted, and the smallest window was also met with silence: the protocol is not spoken.
      if (first && (offered.length === pending.length || tier === WINDOW_SIZES.length - 1)) {
        out.unsupported = r.reason;
        break;
      }
      pending.splice(0, offered.length);
    } else {
      // A server that already answered this protocol gets one second chance after a lost handshake
      // (a dropped packet, a busy listener); a tarpit gets none, so its cost stays one deadline.
      if (!r.fatal && !first && !retried && !session.stopped) {
        retried = true;
        out.notes.push(`${version}: ${r.reason}; trying once more`);
        continue;
      }
      if (!r.fatal) out.error = r.reason;
      break;
    }
  }
  // Stopped between hellos (cancelled, or another protocol met a fatal answer): what is left was never asked.
  if (session.stopped && pending.length > 0 && out.unsupported === undefined && out.error === undefined) out.error = session.fatal ?? 'the probe was cancelled';
  if (out.accepted.length === 0 && out.unsupported === undefined && out.error === undefined) out.unsupported = 'no suite accepted';
  if (out.accepted.length >= 2 && !session.stopped && out.error === undefined) {
    out.preference = await findPreference(session, version, out.accepted);
    if (out.preference === 'server') await ensureServerOrder(session, version, out);
  } else if (out.accepted.length === 1) {
    out.preference = 'indeterminate';
  }
  return out;
}

/**
 * Whose order decides. If the server picked a suite while an accepted one stood before it in our offer,
 * its own order decided, and no extra handshake is needed. If the other stood after it, one hello with the
 * two in reverse order tells (nmap's ssl-enum-ciphers compares both orders; the first is already known).
 * Otherwise both orders are offered.
 */
async function findPreference(session: ProbeSession, version: ProtocolVersion, accepted: AcceptedSuite[]): Promise<CipherPreference> {
  const [a, b] = accepted as [AcceptedSuite, AcceptedSuite];
  const ia = a.offered.indexOf(a.code);
  const ib = a.offered.indexOf(b.code);
  if (ib >= 0 && ib < ia) return 'server';
  const reversed = await session.hello(version, [b.code, a.code]);
  if (reversed.kind !== 'accepted') return 'indeterminate';
  if (reversed.suite === a.code) return 'server';
  if (ib > ia) return 'client';
  const forward = await session.hello(version, [a.code, b.code]);
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
    const r = await session.hello(version, left);
    if (r.kind !== 'accepted' || !left.includes(r.suite)) {
      out.notes.push(`${version}: could not rank the server's suites (${r.kind})`);
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

