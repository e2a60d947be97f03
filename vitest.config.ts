import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', '**/node_modules/**'],
    // Tests start real servers and run real nmap; their time is bounded by the tools, not by asserts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
