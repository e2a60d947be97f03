import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { probe, probeMany } from '../../../src/adapters/probe/index.js';
import { closedPort, startMisbehavingServer } from '../../helpers/misbehaving-servers.js';

describe('cancelling a probe run', () => {
  it('a target probed after the signal fired opens no connection and says it was not started', async () => {
    const server = await startMisbehavingServer('fatal-alert');
    try {
      const controller = new AbortController();
      controller.abort();
      const o = await probe(`${server.host}:${server.port}`, { signal: controller.signal, timeout: 2000 });
      expect(server.connections).toBe(0);
      expect(o.protocols).toEqual([]);
      expect(o.error).toMatch(/not started: the run was interrupted first/);
    } finally {
      await server.stop();
    }
  });

  it('targets still queued when the signal fires are not probed', async () => {
    const servers = await Promise.all([1, 2, 3].map(() => startMisbehavingServer('fatal-alert')));
    try {
      const controller = new AbortController();
      const seen: string[] = [];
      for await (const o of probeMany(servers.map((s) => `${s.host}:${s.port}`), { signal: controller.signal, concurrency: 1, timeout: 2000 })) {
        seen.push(o.error ?? '');
        controller.abort();
      }
      expect(seen).toHaveLength(3);
      expect(servers[2]!.connections).toBe(0);
      expect(seen[2]).toMatch(/not started/);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('a finished probe leaves no listener on the caller\'s signal (no leak warning past ten targets)', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const targets = Array.from({ length: 12 }, () => `127.0.0.1:${port}`);
      for await (const o of probeMany(targets, { signal: controller.signal, concurrency: 12, timeout: 2000 })) expect(o.error).toMatch(/refused/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Twelve targets in flight at once hold twelve listeners: expected, so Node must not warn of a leak.
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
