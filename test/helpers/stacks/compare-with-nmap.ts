/**
 * Registers tests that start real TLS servers, probe each with tlsaudit and scan each with real nmap
 * (ssl-enum-ciphers), and require the same protocols, suites, preference and (for server preference)
 * order, plus the same key-exchange size wherever both show one for a plain-RSA or DHE suite.
 * A server whose package is missing is skipped with the reason; any other start failure fails its test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { parseNmapXml } from '../../../src/adapters/nmap/index.js';
import type { ProtocolVersion } from '../../../src/model/protocol-version.js';
import type { ProtocolObservation, TargetObservation } from '../../../src/model/target.js';
import { runNmap } from '../nmap.js';
import { makeTestCerts, type TestCerts } from '../openssl-server.js';
import { StackUnavailable, type StackServer } from './stack-process.js';

export interface StackCase {
  /** The configuration, in words (the implementation's name and version come from the server). */
  name: string;
  start(certs: TestCerts): Promise<StackServer>;
  /** Protocols the configuration enables: both tools must find exactly these. */
  protocols: readonly ProtocolVersion[];
  /**
   * Protocols whose suite order is compared as a set only, with the reason: a server whose preference
   * adapts to the client's offer has no one order that both tools would see.
   */
  orderAsSet?: { protocols: readonly ProtocolVersion[]; why: string };
  /**
   * Why finite-field DHE sizes are not compared: a server that picks an RFC 7919 group from the client's
   * supported_groups gives each tool the size its own offer leads to. The probe's must still be such a size.
   */
  dheSizeFollowsOffer?: string;
  /** Further checks on the probe's observation and nmap's. */
  check?(mine: TargetObservation, theirs: TargetObservation): void;
}

interface Started {
  server?: StackServer;
  unavailable?: string;
}

/** One describe block: every case's server started at once, one probe run and one nmap run over all. */
export function compareStacksWithNmap(title: string, cases: readonly StackCase[], options: { timeoutMs?: number } = {}): void {
  describe(title, () => {
    let certs: TestCerts;
    const started: Started[] = [];
    const probed = new Map<number, TargetObservation>();
    const scanned = new Map<number, TargetObservation>();

    beforeAll(async () => {
      certs = await makeTestCerts();
      const results = await Promise.allSettled(cases.map((c) => c.start(certs)));
      const failures: string[] = [];
      for (const [i, r] of results.entries()) {
        if (r.status === 'fulfilled') started[i] = { server: r.value };
        else if (r.reason instanceof StackUnavailable) started[i] = { unavailable: r.reason.message };
        else {
          started[i] = {};
          failures.push(`${cases[i]!.name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
        }
      }
      if (failures.length) throw new Error(`servers did not start:\n${failures.join('\n')}`);
      const servers = started.flatMap((s) => (s.server ? [s.server] : []));
      const targets = servers.map((s) => ({ host: s.host, port: s.port, ...(s.starttls && { starttls: s.starttls }) }));
      // One probe() per server, each with its own per-host connection cap, as if each were alone.
      for (const o of await Promise.all(targets.map((t) => probe(t, { timeout: options.timeoutMs ?? 5000 })))) probed.set(o.port, o);
      // nmap runs STARTTLS only where -sV named the service; plain TLS ports get the script forced on.
      const plain = servers.filter((s) => !s.starttls).map((s) => s.port);
      const starttls = servers.filter((s) => s.starttls).map((s) => s.port);
      const runs = await Promise.all([
        plain.length ? runNmap({ ports: plain }) : undefined,
        starttls.length ? runNmap({ ports: starttls, serviceDetection: true }) : undefined,
      ]);
      for (const xml of runs) if (xml) for (const o of parseNmapXml(xml, 'nmap').observations) scanned.set(o.port, o);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(started.map((s) => s.server?.stop()));
      await certs?.cleanup();
    });

    for (const [i, c] of cases.entries()) {
      it(c.name, (ctx) => {
        const s = started[i]!;
        if (s.unavailable) {
          console.warn(`skipped ${c.name}: ${s.unavailable}`);
          ctx.skip(s.unavailable);
          return;
        }
        const server = s.server!;
        const mine = probed.get(server.port);
        const theirs = scanned.get(server.port);
        const where = `${server.name} on port ${server.port}`;
        expect(mine, `${where}: probed`).toBeDefined();
        expect(theirs, `${where}: scanned by nmap`).toBeDefined();
        compare(mine!, theirs!, c, where);
        c.check?.(mine!, theirs!);
      });
    }
  });
}

function compare(mine: TargetObservation, theirs: TargetObservation, c: StackCase, where: string): void {
  expect(mine.error, `${where}: probe error`).toBeUndefined();
  expect(mine.protocols.map((p) => p.version), `${where}: protocols found by nmap`).toEqual(theirs.protocols.map((p) => p.version));
  expect(mine.protocols.map((p) => p.version), `${where}: protocols the configuration enables`).toEqual(c.protocols);
  // Enumeration that ended early is not agreement, even when the suites happen to match.
  expect(mine.runs.flatMap((r) => r.notes ?? []).filter((n) => /cut short|incomplete|mid-answer|could not rank/.test(n)), `${where}: notes`).toEqual([]);
  for (const p of mine.protocols) {
    const n = theirs.protocols.find((x) => x.version === p.version)!;
    const at = `${where} ${p.version}`;
    expect(p.warnings, `${at}: warnings`).toBeUndefined();
    const codes = p.ciphers.map((x) => x.code);
    const nmapCodes = n.ciphers.map((x) => x.code);
    expect([...codes].sort(), `${at}: suites`).toEqual([...nmapCodes].sort());
    if (n.cipherPreference === 'server' || n.cipherPreference === 'client') expect(p.cipherPreference, `${at}: preference`).toBe(n.cipherPreference);
    const asSet = c.orderAsSet?.protocols.includes(p.version);
    if (n.cipherPreference === 'server' && !asSet) expect(codes, `${at}: the server's order`).toEqual(nmapCodes);
    const mineSizes = kexSizes(p);
    for (const [code, { bits, info }] of kexSizes(n)) {
      const name = p.ciphers.find((x) => x.code === code)?.name ?? code;
      if (c.dheSizeFollowsOffer && info.startsWith('dh ')) {
        expect(FFDHE_SIZES, `${at}: ${name} uses an RFC 7919 group (${c.dheSizeFollowsOffer})`).toContain(mineSizes.get(code)?.bits);
        continue;
      }
      expect(mineSizes.get(code)?.bits, `${at}: key exchange size of ${name}`).toBe(bits);
    }
  }
}

/** RFC 7919's finite-field groups, ffdhe2048 to ffdhe8192. */
const FFDHE_SIZES = [2048, 3072, 4096, 6144, 8192];

/** Sizes of plain-RSA and finite-field DHE key exchanges by suite code (ECDHE's follow the client's groups). */
function kexSizes(p: ProtocolObservation): Map<string, { bits: number; info: string }> {
  const out = new Map<string, { bits: number; info: string }>();
  for (const c of p.ciphers) {
    const e = c.evidence[0];
    if (e?.kexBits !== undefined && /^(rsa|dh) \d+$/.test(e.kexInfo ?? '')) out.set(c.code, { bits: e.kexBits, info: e.kexInfo! });
  }
  return out;
}
