import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { STARTTLS_PORTS } from '../../../src/adapters/probe/starttls.js';
import { readLdapExtendedResponse, ldapStartTlsRequest } from '../../../src/adapters/probe/upgrades/ldap.js';
import { readRdpConfirm, rdpConnectionRequest } from '../../../src/adapters/probe/upgrades/rdp.js';
import { preloginRequest } from '../../../src/adapters/probe/upgrades/tds.js';
import { parseTargetText } from '../../../src/targets/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { PRE_TLS_TEST_PROTOCOLS, startPreTlsServer, type PreTlsServer } from '../../helpers/pre-tls-servers.js';
import { startStartTlsSmtpServer } from '../../helpers/starttls-smtp-server.js';

const TLS = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' } as const;

describe('pre-TLS dialogues: LMTP, NNTP, LDAP StartTLS, MySQL, RDP', () => {
  let certs: TestCerts;
  const servers = new Map<string, PreTlsServer>();
  const refusing = new Map<string, PreTlsServer>();

  beforeAll(async () => {
    certs = await makeTestCerts();
    for (const p of PRE_TLS_TEST_PROTOCOLS) {
      servers.set(p, await startPreTlsServer(p, { cert: certs.rsa, tls: TLS }));
      if (p === 'ldap' || p === 'mysql' || p === 'mssql' || p === 'rdp') refusing.set(p, await startPreTlsServer(p, { cert: certs.rsa, tls: TLS, offerTls: false }));
    }
  });
  afterAll(async () => {
    await Promise.all([...servers.values(), ...refusing.values()].map((s) => s.stop()));
    await certs?.cleanup();
  });

  it.each(PRE_TLS_TEST_PROTOCOLS)('%s: reached with --starttls, every suite and the certificate found', async (protocol) => {
    const server = servers.get(protocol)!;
    const o = await probe({ host: '127.0.0.1', port: server.port }, { starttls: protocol, timeout: 5000 });
    expect(o.error).toBeUndefined();
    expect(o.starttls).toBe(protocol);
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2']);
    expect(o.protocols[0]!.ciphers.map((c) => c.name).sort()).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
    expect(o.certificate?.subject).toContain('CN=localhost');
  });

  it.each(['ldap', 'mysql', 'mssql', 'rdp'] as const)('%s: a server that refuses TLS is one clear error', async (protocol) => {
    const o = await probe({ host: '127.0.0.1', port: refusing.get(protocol)!.port }, { starttls: protocol, timeout: 5000 });
    const expected = { ldap: /LDAP upgrade to TLS failed at StartTLS: resultCode 52 \(unavailable\): "TLS not configured"/, mysql: /MySQL upgrade to TLS failed at the handshake: the server \(10.11.6-MariaDB-test\) does not offer TLS/, mssql: /MSSQL upgrade to TLS failed at PRELOGIN: the server does not support encryption \(ENCRYPT_NOT_SUP\)/, rdp: /RDP upgrade to TLS failed at X.224 negotiation: the server refused TLS: SSL_NOT_ALLOWED_BY_SERVER/ }[protocol];
    expect(o.error).toMatch(expected);
  });

  it('on a port of its own, a server greeting in a known protocol gets the --starttls value to use', async () => {
    const smtp = await startStartTlsSmtpServer({ cert: certs.rsa, serverName: 'mail.example.test' });
    try {
      const o = await probe({ host: '127.0.0.1', port: smtp.port }, { timeout: 5000 });
      expect(o.error).toMatch(new RegExp(`^127.0.0.1:${smtp.port}: the server answered in SMTP, not TLS \\("220 mail.example.test ESMTP.*"\\): try --starttls smtp$`));
    } finally {
      await smtp.stop();
    }
    for (const protocol of ['lmtp', 'nntp', 'mysql'] as const) {
      const o = await probe({ host: '127.0.0.1', port: servers.get(protocol)!.port }, { timeout: 5000, starttls: 'none' });
      expect(o.error).toMatch(new RegExp(`try --starttls ${protocol}$`));
    }
  });

  it('selects the dialogue by well-known port and by URL scheme', () => {
    expect([24, 119, 389, 1433, 3268, 3306, 3389].map((p) => STARTTLS_PORTS[p])).toEqual(['lmtp', 'nntp', 'ldap', 'mssql', 'ldap', 'mysql', 'rdp']);
    const url = (t: string) => {
      const e = parseTargetText(t);
      return e.kind === 'target' ? [e.target.port, e.target.starttls] : [];
    };
    expect(url('ldap://dc1.example.org')).toEqual([389, 'ldap']);
    expect(url('nntp://news.example.org')).toEqual([119, 'nntp']);
    expect(url('lmtp://mx.example.org')).toEqual([24, 'lmtp']);
    expect(url('mysql://db.example.org')).toEqual([3306, 'mysql']);
    expect(url('rdp://ts.example.org')).toEqual([3389, 'rdp']);
    expect(url('mssql://sql.example.org')).toEqual([1433, 'mssql']);
  });

  it('writes the requests of the specifications, byte for byte', () => {
    // MS-TDS 2.2.6.5: PRELOGIN, VERSION at 11 (6 bytes), ENCRYPTION at 17 (1 byte, ON), terminator.
    expect(preloginRequest().toString('hex')).toBe('1201001a00000100' + '00000b0006' + '0100110001' + 'ff' + '100000000000' + '01');
    // RFC 4511 §4.14.1: LDAPMessage(1, ExtendedRequest [0] "1.3.6.1.4.1.1466.20037").
    expect(ldapStartTlsRequest().toString('hex')).toBe('301d02010177188016312e332e362e312e342e312e313436362e3230303337');
    // MS-RDPBCGR 4.1.1: TPKT, X.224 CR, RDP_NEG_REQ for PROTOCOL_SSL.
    expect(rdpConnectionRequest().toString('hex')).toBe('030000130ee000000000000100080001000000');
    expect(readLdapExtendedResponse(Buffer.from('300c02010178070a010004000400', 'hex'))).toEqual({ ok: true });
    expect(readLdapExtendedResponse(Buffer.from('300c020101', 'hex'))).toBeUndefined();
    expect(readRdpConfirm(Buffer.from('030000130ed000001234000200080001000000', 'hex'))).toEqual({ ok: true });
    expect(readRdpConfirm(Buffer.from('0300000b06d00000123400', 'hex'))).toEqual({ ok: false, why: 'the server offers only standard RDP security (no TLS)' });
  });
});
