import { defineConfig } from 'vitest/config';

// The slower suite: real TLS implementations and services (gnutls, Go, nginx, Apache, Dovecot, ...) started
// on loopback. `npm run test:slow`; .ci/run runs it after `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
