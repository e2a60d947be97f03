/**
 * A TCP relay on 127.0.0.1 in front of a real TLS server that injects one fault per connection, chosen
 * after reading the ClientHello: pass it on, reset, close without a word, go silent, answer with an
 * alert, or pass on the server's ServerHello alone and then go silent. Faults can be drawn at random
 * with a fixed seed: the draw depends on the seed, the offer (version and suites) and how often that
 * offer was seen before, never on timing, so the same probe meets the same faults on every run.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildAlert, buildHandshakeMessage, buildRecord, parseClientHello, parseHandshakeMessage, parseRecord } from '../../src/adapters/probe/codec/index.js';

export type Fault =
  | 'pass'
  /** TCP RST (socket.resetAndDestroy). */
  | 'reset'
  /** FIN without a TLS alert. */
  | 'close'
  /** Reads on, answers nothing, never closes. */
  | 'silence'
  /** The upstream's ServerHello, re-framed as a record of its own, then nothing. */
  | 'server-hello-then-silence'
  /** A fatal alert with this description code, then FIN. */
  | { alert: number };

export interface OfferSeen {
  /** legacy_version of the ClientHello. */
  version: number;
  supportedVersions?: number[];
  suites: number[];
  /** Connections so far, this one included (1 for the first). */
  connection: number;
  /** How many earlier connections carried the same offer (version, supported_versions and suites). */
  repeat: number;
}

export interface FaultRelay {
  host: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** How many connections met each fault. */
  readonly faults: Readonly<Record<string, number>>;
  /** Stops listening, so that new connections are refused (as behind a firewall's REJECT); open ones go on. */
  stopListening(): void;
  close(): Promise<void>;
}

function faultName(f: Fault): string {
  return typeof f === 'string' ? f : `alert ${f.alert}`;
}

export async function startFaultRelay(upstreamPort: number, decide: (offer: OfferSeen) => Fault): Promise<FaultRelay> {
  const sockets = new Set<Socket>();
  const repeats = new Map<string, number>();
  const faults: Record<string, number> = {};
  let connections = 0;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    const connection = ++connections;
    track(client);
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const rec = parseRecord(buf);
      if (rec.kind === 'need-more') return;
      const msg = rec.kind === 'ok' ? parseHandshakeMessage(rec.value.fragment) : undefined;
      if (msg?.kind === 'need-more') return;
      const hello = msg?.kind === 'ok' ? parseClientHello(msg.value.body) : undefined;
      client.off('data', onData);
      if (hello?.kind !== 'ok') return client.destroy();
      const h = hello.value;
      const key = JSON.stringify([h.legacyVersion, h.supportedVersions ?? null, h.cipherSuites]);
      const repeat = repeats.get(key) ?? 0;
      repeats.set(key, repeat + 1);
      const fault = decide({ version: h.legacyVersion, ...(h.supportedVersions && { supportedVersions: h.supportedVersions }), suites: h.cipherSuites, connection, repeat });
      faults[faultName(fault)] = (faults[faultName(fault)] ?? 0) + 1;
      if (fault === 'reset') return client.resetAndDestroy();
      if (fault === 'close') return client.end();
      if (fault === 'silence') return client.on('data', () => undefined);
      if (typeof fault === 'object') return client.end(Buffer.from(buildRecord(21, 0x0303, buildAlert(2, fault.alert))));
      const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
      track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.write(buf);
      if (fault === 'pass') {
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        return;
      }
      // server-hello-then-silence: the first handshake message the server sends, alone, then nothing.
      client.on('data', () => undefined);
      let answer = Buffer.alloc(0);
      let handshake = Buffer.alloc(0);
      let offset = 0;
      const onUpstream = (data: Buffer) => {
        answer = Buffer.concat([answer, data]);
        for (;;) {
          const r = parseRecord(answer, offset);
          if (r.kind !== 'ok') return;
          offset = r.offset;
          if (r.value.contentType !== 22) return finish(Buffer.from(answer.subarray(0, offset)));
          handshake = Buffer.concat([handshake, r.value.fragment]);
          const m = parseHandshakeMessage(handshake);
          if (m.kind === 'need-more') continue;
          if (m.kind !== 'ok') return finish(Buffer.alloc(0));
          return finish(Buffer.from(buildRecord(22, r.value.version, buildHandshakeMessage(m.value.type, m.value.body))));
        }
      };
      const finish = (bytes: Buffer) => {
        upstream.off('data', onUpstream);
        upstream.destroy();
        client.write(bytes);
      };
      upstream.on('data', onUpstream);
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    faults,
    stopListening: () => void server.close(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

/** A number in [0, 1) from a seed and a key: the same pair always gives the same number (mulberry32 over FNV-1a). */
export function seededDraw(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `fault` on a fixed-seed `rate` of connections, drawn from the offer and its repeat count; 'pass' otherwise. */
export function atRandom(seed: number, rate: number, fault: Fault): (offer: OfferSeen) => Fault {
  return (o) => (seededDraw(seed, `${o.version}/${o.supportedVersions?.join(',') ?? ''}/${o.suites.join(',')}#${o.repeat}`) < rate ? fault : 'pass');
}
