import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../../src/adapters/probe/connection.js';
import { exchangeHello } from '../../../src/adapters/probe/exchange-hello.js';
import { buildClientHello, WIRE_TLS12 } from '../../../src/adapters/probe/codec/index.js';

/** A server that runs `script` on each connection; `hello` receives the first bytes sent after the dialogue. */
async function startScriptServer(script: (socket: Socket) => void): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the STARTTLS dialogue ends where TLS begins', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('readUntil returns the complete reply and leaves what follows it for the next read', async () => {
    const s = await startScriptServer((socket) => socket.write('* OK ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\n'));
    stop = s.stop;
    const conn = await Connection.open({ address: '127.0.0.1', port: s.port, deadline: Date.now() + 5000 });
    try {
      await pause(100);
      expect(await conn.readUntil((t) => t.includes('\n'), 'the greeting')).toBe('* OK ready\r\n');
      expect((await conn.read()).toString('latin1')).toBe('* CAPABILITY IMAP4rev1 STARTTLS\r\n');
    } finally {
      conn.close();
    }
  });

  // Dovecot closes without an alert when it refuses a ClientHello after STARTTLS. Counting the IMAP
  // dialogue's bytes as TLS bytes turned that silence into "closed the connection in mid-answer".
  it('imap: a server that hangs up on the ClientHello without a TLS byte is silent, not cut off mid-answer', async () => {
    let hello = 0;
    const s = await startScriptServer((socket) => {
      socket.write('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n');
      let upgraded = false;
      socket.on('data', async (chunk: Buffer) => {
        if (upgraded) {
          hello += chunk.length;
          socket.end();
          return;
        }
        if (/^a1 STARTTLS\r\n$/i.test(chunk.toString('latin1'))) {
          upgraded = true;
          // Untagged data before the tagged answer, in separate packets.
          socket.write('* CAPABILITY IMAP4rev1 STARTTLS\r\n');
          await pause(50);
          socket.write('* OK still here\r\n');
          await pause(50);
          socket.write('a1 OK Begin TLS negotiation now.\r\n');
        }
      });
    });
    stop = s.stop;
    const suites = [0xc02f, 0x009c];
    const bytes = buildClientHello({ version: WIRE_TLS12, cipherSuites: suites, random: randomBytes(32), sessionId: randomBytes(32) });
    const r = await exchangeHello({ address: '127.0.0.1', port: s.port, timeoutMs: 5000, starttls: 'imap' }, bytes, { version: WIRE_TLS12, suites });
    expect(hello).toBe(bytes.length);
    expect(r).toEqual({ kind: 'silent', reason: 'the server closed the connection without answering' });
  });
});
