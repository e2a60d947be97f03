import { expect } from 'vitest';
import { startGoServer } from '../../helpers/stacks/compiled-servers.js';
import { compareStacksWithNmap } from '../../helpers/stacks/compare-with-nmap.js';
import { startGnutlsServer } from '../../helpers/stacks/gnutls-server.js';
import { startNginx } from '../../helpers/stacks/web-servers.js';
import type { TargetObservation } from '../../../src/model/target.js';

/** The plain-RSA suites of a server holding RSA and ECDSA certificates carry the RSA key's size. */
function rsaSuitesSized(mine: TargetObservation): void {
  const rsa = mine.protocols.flatMap((p) => p.ciphers.filter((c) => c.name.startsWith('TLS_RSA_WITH_')));
  expect(rsa.length).toBeGreaterThan(0);
  for (const c of rsa) expect(c.evidence[0], c.name).toMatchObject({ kexInfo: 'rsa 2048', kexBits: 2048 });
}

// Three implementations in the fast suite; the rest are in real-stacks.slow.test.ts.
compareStacksWithNmap('the probe agrees with nmap on real TLS implementations', [
  {
    name: 'gnutls-serv, RSA and ECDSA certificates, server precedence, TLS 1.0 to 1.3',
    start: (c) => startGnutlsServer(c, { cert: 'dual', priority: 'NORMAL:%SERVER_PRECEDENCE:+VERS-TLS1.0:+VERS-TLS1.1' }),
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
  {
    name: 'Go crypto/tls, RSA and ECDSA certificates, TLS 1.0 to 1.3',
    start: (c) => startGoServer(c, { cert: 'dual', min: '1.0' }),
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    // crypto/tls puts ChaCha20-Poly1305 before AES-GCM when the first suite it knows in the client's
    // list is not AES-GCM (aesgcmPreferred in Go's cipher_suites.go): the order follows the offer.
    orderAsSet: { protocols: ['TLSv1.2'], why: 'Go ranks ChaCha20 by the client offer' },
    check: rsaSuitesSized,
  },
  {
    name: 'nginx, RSA and ECDSA certificates, server order with an ECDSA suite first, TLS 1.2 and 1.3',
    start: (c) =>
      startNginx(c, {
        cert: 'dual',
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA:AES128-SHA',
        serverPreference: true,
      }),
    protocols: ['TLSv1.2', 'TLSv1.3'],
    check: rsaSuitesSized,
  },
]);
