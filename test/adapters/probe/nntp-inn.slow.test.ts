/**
 * The NNTP upgrade (STARTTLS, RFC 4642) against INN's reader daemon nnrpd from Debian's inn2, started
 * on loopback as a daemon of its own with an inn.conf in a temp dir (TLS certificate, key and suites,
 * an empty tradindexed overview built with makehistory), next to nmap -sV with ssl-enum-ciphers on the
 * same server. nnrpd drops to the news user and takes only a key that user owns and nobody else reads.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { importOne } from '../../../src/import/index.js';
import { runNmap } from '../../helpers/nmap.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { canConnect, spawnListening, type SpawnedServer } from '../../helpers/stacks/stack-process.js';

const run = promisify(execFile);
const INN_BIN = process.env.INN_BIN ?? '/usr/lib/news/bin';


async function newsIds(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', 'news']);
  const { stdout: group } = await run('id', ['-g', 'news']);
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
}

describe('NNTP upgrade against INN (nnrpd)', () => {
  let certs: TestCerts;
  let dir: string;
  let nnrpd: SpawnedServer | undefined;
  let port: number;

  beforeAll(async () => {
    if (userInfo().uid !== 0) throw new Error('nnrpd needs root to start (it drops to the news user); run the slow suite as root, as CI does');
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-inn-'));
    await chmod(dir, 0o755);
    const news = await newsIds();
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await copyFile(certs.rsa.key, key);
    await copyFile(certs.rsa.cert, cert);
    await chown(key, news.uid, news.gid);
    await chmod(key, 0o600);
    const overview = join(dir, 'overview');
    await mkdir(overview);
    await chown(overview, news.uid, news.gid);
    const conf = join(dir, 'inn.conf');
    const settings: Record<string, string> = {
      domain: 'tlsaudit.test',
      pathoverview: overview,
      tlscertfile: cert,
      tlskeyfile: key,
      tlsciphers: '"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256"',
      tlsprotocols: '[ TLSv1.2 TLSv1.3 ]',
    };
    // The shipped inn.conf with these settings in place (commented-out or not); the rest as Debian has it.
    let text = await readFile('/etc/news/inn.conf', 'utf8');
    for (const [name, value] of Object.entries(settings)) {
      const line = new RegExp(`^#?${name}:.*$`, 'm');
      text = line.test(text) ? text.replace(line, `${name}: ${value}`) : `${text}\n${name}: ${value}\n`;
    }
    await writeFile(conf, text);
    const env = { ...process.env, INNCONF: conf };
    // nnrpd needs an overview database to open; an empty one will do.
    await run('runuser', ['-u', 'news', '--', join(INN_BIN, 'makehistory'), '-O', '-x'], { env });
    for (const candidate of [11190, 11191, 11192, 11193]) {
      if (await canConnect(candidate)) continue;
      try {
        // -D -f: a daemon of its own, in the foreground (the test owns it); -n: no reverse lookups.
        nnrpd = await spawnListening(join(INN_BIN, 'nnrpd'), ['-D', '-f', '-n', '-b', '127.0.0.1', '-p', String(candidate)], candidate, { env, readyMs: 10_000 });
        port = candidate;
        return;
      } catch {
        // Not listening on this port: try the next.
      }
    }
    throw new Error('nnrpd did not listen on any of its ports');
  }, 120_000);
  afterAll(async () => {
    await nnrpd?.stop();
    await certs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('probe --starttls nntp finds what nmap finds, in the same order', async () => {
    const o = await probe({ host: '127.0.0.1', port }, { starttls: 'nntp' });
    expect(o.error).toBeUndefined();
    expect(o.starttls).toBe('nntp');
    expect(o.certificate?.subject).toContain('CN=localhost');
    const probed = Object.fromEntries(o.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name)]));
    expect(probed['TLSv1.2']?.slice().sort()).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);

    const xml = await runNmap({ ports: [port], serviceDetection: true, extraArgs: ['--version-light'] });
    const imported = await importOne({ text: xml, origin: 'nmap' }, 'nmap');
    const [seen] = imported.observations;
    expect(seen?.service).toBe('nntp');
    expect(Object.fromEntries(seen!.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name)]))).toEqual(probed);
  }, 120_000);

  it('without --starttls, the greeting names the value to use', async () => {
    const o = await probe({ host: '127.0.0.1', port }, { starttls: 'none' });
    expect(o.error).toMatch(/the server answered in NNTP, not TLS \("200 .*InterNetNews.*"\): try --starttls nntp$/);
  }, 60_000);
});
