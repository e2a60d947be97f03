import { expect } from 'vitest';
import { startJsseServer, startWolfSslServer } from '../../helpers/stacks/compiled-servers.js';
import { compareStacksWithNmap } from '../../helpers/stacks/compare-with-nmap.js';
import { startBotanServer } from '../../helpers/stacks/gnutls-server.js';
import { startDovecot, startPostfix } from '../../helpers/stacks/mail-servers.js';
import { startApache, startHaproxy, startLighttpd, startStunnel } from '../../helpers/stacks/web-servers.js';
import type { TargetObservation } from '../../../src/model/target.js';

function rsaSuitesSized(mine: TargetObservation): void {
  const rsa = mine.protocols.flatMap((p) => p.ciphers.filter((c) => c.name.startsWith('TLS_RSA_WITH_')));
  expect(rsa.length).toBeGreaterThan(0);
  for (const c of rsa) expect(c.evidence[0], c.name).toMatchObject({ kexInfo: 'rsa 2048', kexBits: 2048 });
}

// wolfSSL, with no DH parameters of its own, does DHE only with an RFC 7919 group from the client's
// supported_groups and prefers the larger: ffdhe3072 from the probe's offer (which lists ffdhe2048 to 8192),
// 2048 bits for nmap's; offered none (openssl s_client -tls1_2), it refuses every DHE suite.
const WOLFSSL_FFDHE = 'wolfSSL picks the FFDHE group from the offer';

// The fast suite (real-stacks.test.ts) covers gnutls-serv, Go crypto/tls and nginx.
compareStacksWithNmap('the probe agrees with nmap on more real TLS implementations', [
  {
    name: 'Apache httpd mod_ssl, RSA and ECDSA certificates, client order, TLS 1.2 and 1.3',
    start: (c) => startApache(c, { cert: 'dual', protocols: '-all +TLSv1.2 +TLSv1.3' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
  {
    name: 'Apache httpd mod_ssl, RSA, server order, TLS 1.0 to 1.2 at security level 0',
    start: (c) =>
      startApache(c, { cert: 'rsa', protocols: '-all +TLSv1 +TLSv1.1 +TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA:AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0', serverPreference: true }),
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
  },
  {
    name: 'lighttpd with OpenSSL (mod_openssl), RSA, its defaults',
    start: (c) => startLighttpd(c, { cert: 'rsa', backend: 'openssl' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'lighttpd with GnuTLS (mod_gnutls), ECDSA, its defaults',
    start: (c) => startLighttpd(c, { cert: 'ecdsa', backend: 'gnutls' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'lighttpd with NSS (mod_nss), RSA, its defaults',
    start: (c) => startLighttpd(c, { cert: 'rsa', backend: 'nss' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'lighttpd with Mbed TLS (mod_mbedtls), RSA, its defaults',
    start: (c) => startLighttpd(c, { cert: 'rsa', backend: 'mbedtls' }),
    protocols: ['TLSv1.2'],
  },
  {
    name: 'lighttpd with wolfSSL (mod_wolfssl), RSA, its defaults',
    start: (c) => startLighttpd(c, { cert: 'rsa', backend: 'wolfssl' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    dheSizeFollowsOffer: WOLFSSL_FFDHE,
  },
  {
    // wolfSSL answers a TLS 1.2 hello of more than 150 suites with decode_error, whatever its own list.
    name: 'wolfSSL (a server built with gcc against libwolfssl), RSA, its defaults',
    start: (c) => startWolfSslServer(c, { cert: 'rsa', minVersion: 3 }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    dheSizeFollowsOffer: WOLFSSL_FFDHE,
  },
  {
    name: 'wolfSSL (a server built with gcc against libwolfssl), ECDSA, a short cipher list',
    start: (c) => startWolfSslServer(c, { cert: 'ecdsa', minVersion: 3, ciphers: 'TLS13-AES128-GCM-SHA256:TLS13-CHACHA20-POLY1305-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'HAProxy, RSA and ECDSA certificates, client order',
    start: (c) => startHaproxy(c, { cert: 'dual' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
  {
    name: 'HAProxy, RSA, server order, TLS 1.2 only',
    start: (c) => startHaproxy(c, { cert: 'rsa', protocols: 'ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305:AES256-SHA256:ECDHE-RSA-AES128-GCM-SHA256', serverPreference: true }),
    protocols: ['TLSv1.2'],
    check: rsaSuitesSized,
  },
  {
    name: 'stunnel, RSA, server order',
    start: (c) => startStunnel(c, { cert: 'rsa', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:AES128-SHA', serverPreference: true }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'Java JSSE SSLServerSocket, RSA, its defaults',
    start: (c) => startJsseServer(c, { cert: 'rsa' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
  {
    name: 'Java JSSE SSLServerSocket, ECDSA, TLS 1.2 only',
    start: (c) => startJsseServer(c, { cert: 'ecdsa', protocols: ['TLSv1.2'] }),
    protocols: ['TLSv1.2'],
  },
  {
    name: 'Botan tls_server, RSA, its default policy',
    start: (c) => startBotanServer(c, { cert: 'rsa' }),
    protocols: ['TLSv1.2'],
  },
  {
    name: 'Botan tls_server, ECDSA, its default policy',
    start: (c) => startBotanServer(c, { cert: 'ecdsa' }),
    protocols: ['TLSv1.2'],
  },
  {
    name: 'Dovecot IMAP STARTTLS, RSA, its defaults',
    start: (c) => startDovecot(c, { cert: 'rsa' }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    name: 'Dovecot IMAP STARTTLS, ECDSA, server order, TLS 1.2 minimum',
    start: (c) => startDovecot(c, { cert: 'ecdsa', minProtocol: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305', serverPreference: true }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
  },
  {
    // Opportunistic TLS: Postfix also accepts anonymous (EC)DH suites, whose sizes both tools report.
    name: 'Postfix smtpd SMTP STARTTLS, RSA, its defaults',
    start: (c) => startPostfix(c, { cert: 'rsa' }),
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
], { timeoutMs: 10_000 });
