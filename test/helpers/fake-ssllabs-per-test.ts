import { afterEach } from 'vitest';
import { startFakeSslLabs, type FakeSslLabs, type FakeSslLabsOptions } from './ssllabs-server.js';

/**
 * For a test file's top level: returns a function that starts a fake SSL Labs API on which `email` is
 * registered (unless the options name other `registered` emails); each one is closed after its test.
 */
export function fakeSslLabsPerTest(email: string): (options: FakeSslLabsOptions) => Promise<FakeSslLabs> {
  let servers: FakeSslLabs[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  return async (options) => {
    const fake = await startFakeSslLabs({ registered: [email], ...options });
    servers.push(fake);
    return fake;
  };
}
