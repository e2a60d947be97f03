import { describe, expect, it } from 'vitest';
import { candidateSuites, parseTarget, probeWithStats } from '../../../src/adapters/probe/index.js';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  buildHandshakeMessage,
  buildServerHello,
  parseHandshakeMessage,
  parseServerHello,
} from '../../../src/adapters/probe/codec/index.js';
import { judgeAnswer } from '../../../src/adapters/probe/judge-answer.js';
import { UsageError } from '../../../src/errors.js';
import { startFirstSuiteServer } from '../../helpers/misbehaving-servers.js';

describe('parseTarget', () => {
  it.each([
    ['example.org', 'example.org', 443],
    ['example.org:8443', 'example.org', 8443],
    ['10.0.0.5:25', '10.0.0.5', 25],
    ['[::1]:443', '::1', 443],
    ['[2001:db8::1]', '2001:db8::1', 443],
    ['::1', '::1', 443],
  ])('%s', (text, host, port) => expect(parseTarget(text)).toEqual({ host, port }));

  it.each(['example.org:0', 'example.org:70000', 'example.org:', '[example.org]:443', 'a b', 'http://x'])('rejects %s', (text) => {
    expect(() => parseTarget(text)).toThrow(UsageError);
  });
});

describe('candidate suites', () => {
  it('TLS 1.3 gets only TLS 1.3 suites; older versions get the rest without signalling values', () => {
    const t13 = candidateSuites('TLSv1.3');
    const t12 = candidateSuites('TLSv1.2');
    expect(t13).toContain(0x1301);
    expect(t13).not.toContain(0xc02f);
    expect(t12).toContain(0xc02f);
    expect(t12).not.toContain(0x1301);
    expect(t12).not.toContain(0x00ff);
    expect(t12).not.toContain(0x5600);
    expect(new Set(t12).size).toBe(t12.length);
  });
});

describe('judgeAnswer', () => {
  const hello = (over: Partial<Parameters<typeof buildServerHello>[0]> & { extensions?: { type: number; data: Uint8Array }[] } = {}) => {
    const body = buildServerHello({ legacyVersion: 0x0303, random: new Uint8Array(32), cipherSuite: 0xc02f, ...over });
    const m = parseHandshakeMessage(buildHandshakeMessage(2, body));
    if (m.kind !== 'ok') throw new Error('bad');
    const sh = parseServerHello(m.value.body);
    if (sh.kind !== 'ok') throw new Error('bad');
    return { kind: 'server-hello' as const, serverHello: sh.value };
  };
  it('accepts an offered suite at the offered version', () => {
    expect(judgeAnswer({ version: 0x0303, suites: [0xc02f] }, hello())).toMatchObject({ kind: 'accepted', suite: 0xc02f });
  });
  it('flags an unoffered suite, a higher version, and a compression method', () => {
    expect(judgeAnswer({ version: 0x0303, suites: [0xc030] }, hello())).toMatchObject({ kind: 'failed', fatal: true });
    expect(judgeAnswer({ version: 0x0301, suites: [0xc02f] }, hello())).toMatchObject({ kind: 'failed', fatal: true });
    expect(judgeAnswer({ version: 0x0303, suites: [0xc02f] }, hello({ compressionMethod: 1 }))).toMatchObject({ kind: 'failed', fatal: true });
  });
  it('reads a lower version as a downgrade, and a HelloRetryRequest as acceptance with its group', () => {
    expect(judgeAnswer({ version: 0x0303, suites: [0xc02f] }, hello({ legacyVersion: 0x0301 }))).toMatchObject({ kind: 'downgraded' });
    const hrr = hello({ cipherSuite: 0x1301, random: HELLO_RETRY_REQUEST_RANDOM, extensions: [{ type: 43, data: Uint8Array.of(3, 4) }, { type: 51, data: Uint8Array.of(0, 24) }] });
    expect(judgeAnswer({ version: 0x0304, suites: [0x1301] }, hrr)).toMatchObject({ kind: 'accepted', helloRetryRequest: true, group: 24 });
    expect(judgeAnswer({ version: 0x0303, suites: [0x1301] }, hrr)).toMatchObject({ kind: 'failed', fatal: true });
  });
});

describe('enumeration is bounded', () => {
  it('a server that accepts whatever is offered first costs one connection per candidate, no more', async () => {
    const server = await startFirstSuiteServer();
    try {
      const { observation, stats } = await probeWithStats(`${server.host}:${server.port}`, { protocols: ['TLSv1.2', 'TLSv1.3'], certificate: false, timeout: 5000 });
      const n12 = candidateSuites('TLSv1.2').length;
      const n13 = candidateSuites('TLSv1.3').length;
      expect(observation.protocols.map((p) => [p.version, p.ciphers.length])).toEqual([['TLSv1.2', n12], ['TLSv1.3', n13]]);
      // Each suite once; the last hello of each protocol has one suite left and is accepted, so nothing is refused;
      // one more hello per protocol asks for the preference.
      expect(stats.connections).toBe(n12 + n13 + 2);
      expect(observation.protocols[0]!.cipherPreference).toBe('client');
    } finally {
      await server.stop();
    }
  });
});

describe('--timeout beyond what a Node timer holds', () => {
  it('means a long wait, not an instant timeout (Node turns a delay above 2^31-1 ms into 1 ms)', async () => {
    const server = await startFirstSuiteServer();
    try {
      const o = await probeWithStats(`${server.host}:${server.port}`, { protocols: ['TLSv1.3'], certificate: false, timeout: 3_000_000_000 });
      expect(o.observation.error).toBeUndefined();
      expect(o.observation.protocols[0]!.ciphers).toHaveLength(candidateSuites('TLSv1.3').length);
    } finally {
      await server.stop();
    }
  });
});

describe('certificate notes', () => {
  it('a failed node:tls handshake is one readable line, not an OpenSSL error dump', async () => {
    // This server answers a ServerHello that node:tls refuses (it echoes no session id), so the certificate cannot be read.
    const server = await startFirstSuiteServer();
    try {
      const o = await probeWithStats(`${server.host}:${server.port}`, { protocols: ['TLSv1.3'], timeout: 3000 });
      const note = o.observation.runs[0]!.notes!.find((n) => n.startsWith('certificate:'));
      expect(note).toBeDefined();
      expect(note).not.toMatch(/\n|SSL routines|statem/);
      expect(note).toMatch(/^certificate: .*invalid session id/);
    } finally {
      await server.stop();
    }
  });
});
