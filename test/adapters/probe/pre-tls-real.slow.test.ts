/**
 * The LDAP and MySQL upgrades against the servers Debian ships, each started on loopback with a
 * configuration of its own in a temp dir: OpenLDAP's slapd (StartTLS, RFC 4511 §4.14) and MariaDB
 * (SSLRequest) initialised with mariadb-install-db.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { freePort, spawnListening, type SpawnedServer } from '../../helpers/stacks/stack-process.js';

const run = promisify(execFile);


describe('LDAP and MySQL upgrades against slapd and MariaDB', () => {
  let certs: TestCerts;
  let dir: string;
  const servers: SpawnedServer[] = [];
  /** Kept for afterAll as soon as it listens, so one server is stopped even when the other fails to start. */
  const started = (server: SpawnedServer) => void servers.push(server);
  let ldapPort: number;
  let mysqlPort: number;

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-pretls-'));
    await mkdir(join(dir, 'ldap'));
    ldapPort = await freePort();
    await writeFile(
      join(dir, 'slapd.conf'),
      [
        'include /etc/ldap/schema/core.schema',
        `pidfile ${join(dir, 'slapd.pid')}`,
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        `TLSCertificateFile ${certs.rsa.cert}`,
        `TLSCertificateKeyFile ${certs.rsa.key}`,
        'database mdb',
        'suffix "dc=example,dc=test"',
        `directory ${join(dir, 'ldap')}`,
        '',
      ].join('\n'),
    );

    mysqlPort = await freePort();
    const data = join(dir, 'mysql');
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--skip-test-db', '--auth-root-authentication-method=normal']);
    // -d 0: stay in the foreground (the test owns the process) and log nothing.
    const slapd = spawnListening('/usr/sbin/slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${ldapPort}/`], ldapPort, { readyMs: 60_000 }).then(started);
    const mariadb = spawnListening(
      '/usr/sbin/mariadbd',
      ['--no-defaults', '--user=root', `--datadir=${data}`, `--port=${mysqlPort}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'mysql.sock')}`, `--pid-file=${join(dir, 'mysql.pid')}`, `--ssl-cert=${certs.rsa.cert}`, `--ssl-key=${certs.rsa.key}`, '--skip-grant-tables', `--log-error=${join(dir, 'mysql.err')}`],
      mysqlPort,
      { readyMs: 60_000 },
    ).then(started);
    await Promise.all([slapd, mariadb]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await certs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('slapd: StartTLS, then TLS 1.2 and 1.3 suites and the certificate', async () => {
    const o = await probe({ host: '127.0.0.1', port: ldapPort }, { starttls: 'ldap' });
    expect(o.error).toBeUndefined();
    expect(o.protocols.map((p) => p.version)).toEqual(expect.arrayContaining(['TLSv1.2', 'TLSv1.3']));
    expect(o.certificate?.subject).toContain('CN=localhost');
  });

  it('MariaDB: SSLRequest, then its suites; without --starttls on its own port the error says which to use', async () => {
    const o = await probe({ host: '127.0.0.1', port: mysqlPort }, { starttls: 'mysql' });
    expect(o.error).toBeUndefined();
    expect(o.protocols.map((p) => p.version)).toEqual(expect.arrayContaining(['TLSv1.2', 'TLSv1.3']));
    expect(o.certificate?.subject).toContain('CN=localhost');
    const plain = await probe({ host: '127.0.0.1', port: mysqlPort });
    expect(plain.error).toMatch(/the server answered in MySQL, not TLS \(version "5.5.5-10.*"\): try --starttls mysql$/);
  });
});
