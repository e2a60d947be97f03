/** The tools whose files `import` reads, as the recorder and the live tests run them (Debian's packages). */
export const TESTSSL = process.env.TESTSSL ?? '/usr/bin/testssl';
export const SSLSCAN = process.env.SSLSCAN ?? '/usr/bin/sslscan';

/** Protocols, ciphers per protocol, server defaults (certificate), server preference, forward secrecy. */
export const TESTSSL_CHECKS = ['-p', '-E', '-S', '-P', '--fs'] as const;
