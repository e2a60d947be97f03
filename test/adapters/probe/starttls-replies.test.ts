import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../../src/adapters/probe/connection.js';
import { startTls } from '../../../src/adapters/probe/starttls.js';

/**
 * A plaintext server that sends `greeting` in parts, each after the client has had time to read the one
 * before (so they arrive as separate reads), and answers each command line from `answers`.
 */
async function startLineServer(greeting: string[], answers: Record<string, string>): Promise<{ port: number; commands: string[]; server: Server; sockets: Set<Socket> }> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        commands.push(line);
        socket.write(answers[line] ?? '500 unknown\r\n');
      }
    });
    const send = (i: number) => {
      if (i >= greeting.length || socket.destroyed) return;
      socket.write(greeting[i]!);
      setTimeout(() => send(i + 1), 150);
    };
    send(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, commands, server, sockets };
}

describe('STARTTLS multi-line replies', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('ftp: a multi-line greeting whose middle lines carry no code ends only at "220 " (RFC 959 §4.2)', async () => {
    const s = await startLineServer(['220-Welcome to the archive\r\n   Uploads go to /incoming\r\n', '220 Ready\r\n'], { 'AUTH TLS': '234 Proceed\r\n' });
    stop = () =>
      new Promise<void>((resolve) => {
        for (const k of s.sockets) k.destroy();
        s.server.close(() => resolve());
      });
    const conn = await Connection.open({ address: '127.0.0.1', port: s.port, deadline: Date.now() + 5000 });
    try {
      await startTls(conn, 'ftp');
      expect(s.commands).toEqual(['AUTH TLS']);
    } finally {
      conn.close();
    }
  });

  it('smtp: a greeting and EHLO reply in several parts are read to their last line', async () => {
    const s = await startLineServer(['220-mail.example.test ESMTP\r\n', '220-no UCE\r\n', '220 ready\r\n'], {
      'EHLO tlsaudit.invalid': '250-mail.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n',
      STARTTLS: '220 go ahead\r\n',
    });
    stop = () =>
      new Promise<void>((resolve) => {
        for (const k of s.sockets) k.destroy();
        s.server.close(() => resolve());
      });
    const conn = await Connection.open({ address: '127.0.0.1', port: s.port, deadline: Date.now() + 5000 });
    try {
      await startTls(conn, 'smtp');
      expect(s.commands).toEqual(['EHLO tlsaudit.invalid', 'STARTTLS']);
    } finally {
      conn.close();
    }
  });
});
