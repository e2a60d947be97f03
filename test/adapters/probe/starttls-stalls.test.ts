/**
 * STARTTLS servers that stop talking: the error names the step that stalled (the greeting, the STARTTLS
 * reply, the TLS hello) and the protocol being spoken, instead of a bare "no answer within 15000 ms".
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';

/** A plaintext server on loopback that answers each command line from `answers` and stays silent otherwise. */
async function silentAfter(greeting: string | undefined, answers: Record<string, string>): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
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
        const answer = answers[line];
        if (answer !== undefined) socket.write(answer);
      }
    });
    if (greeting !== undefined) socket.write(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a STARTTLS server that stops talking', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('names the greeting and the protocol when no greeting comes', async () => {
    const server = await silentAfter(undefined, {});
    close = server.close;
    const o = await probe({ host: '127.0.0.1', port: server.port, starttls: 'smtp' }, { timeout: 800, certificate: false });
    expect(o.error).toMatch(new RegExp(`^127\\.0\\.0\\.1:${server.port} \\(SMTP STARTTLS\\): no answer: timed out after \\d+ ms waiting for the SMTP greeting$`));
  });

  it('names the STARTTLS reply when the server goes quiet after EHLO', async () => {
    const server = await silentAfter('220 mail ESMTP\r\n', { 'EHLO tlsaudit.invalid': '250-mail\r\n250 STARTTLS\r\n' });
    close = server.close;
    const o = await probe({ host: '127.0.0.1', port: server.port, starttls: 'smtp' }, { timeout: 800, certificate: false });
    expect(o.error).toMatch(/\(SMTP STARTTLS\): no answer: timed out after \d+ ms waiting for the STARTTLS reply$/);
  });

  it('names the TLS hello after the protocol’s STARTTLS when the upgrade is agreed but no handshake follows', async () => {
    const server = await silentAfter('* OK IMAP ready\r\n', { 'a1 STARTTLS': 'a1 OK Begin TLS negotiation now\r\n' });
    close = server.close;
    const o = await probe({ host: '127.0.0.1', port: server.port, starttls: 'imap' }, { timeout: 800, certificate: false, protocols: ['TLSv1.2'] });
    expect(o.error).toBe(`127.0.0.1:${server.port}: no answer to the TLS hello after IMAP STARTTLS within 800 ms`);
  });
});
