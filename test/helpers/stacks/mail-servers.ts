/**
 * Mail servers with STARTTLS, each run in the foreground as its own master with a configuration and state
 * in a temp dir, listening on 127.0.0.1 only: Dovecot IMAP (dovecot-imapd) or LMTP (dovecot-lmtpd) and
 * Postfix SMTP (postfix).
 * The tests only ever reach the TLS handshake after STARTTLS, so no users, mailboxes or queues are used.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { TestCerts } from '../openssl-server.js';
import { debianVersion } from './compiled-servers.js';
import { findProgram, spawnListening, StackUnavailable, startWithFreePort, tempDir, type StackServer } from './stack-process.js';

export interface DovecotOptions {
  cert: 'rsa' | 'ecdsa';
  /** The service to run: IMAP (default) or LMTP (RFC 2033), both with STARTTLS. */
  protocol?: 'imap' | 'lmtp';
  /** ssl_min_protocol (TLSv1, TLSv1.1, TLSv1.2, ...). */
  minProtocol?: string;
  /** ssl_cipher_list (OpenSSL syntax). */
  ciphers?: string;
  serverPreference?: boolean;
  /** DH parameters for DHE suites: Debian's own file by default, as its packaged 10-ssl.conf sets. */
  dhParams?: string;
}

export async function startDovecot(certs: TestCerts, options: DovecotOptions): Promise<StackServer> {
  const protocol = options.protocol ?? 'imap';
  const debianPackage = `dovecot-${protocol}d`;
  const dovecot = await findProgram(debianPackage, '/usr/sbin/dovecot');
  await findProgram(debianPackage, protocol === 'imap' ? '/usr/lib/dovecot/imap-login' : '/usr/lib/dovecot/lmtp');
  // The master runs imap-login as dovenull and its helpers as dovecot, which only root can do.
  if (process.getuid?.() !== 0) throw new StackUnavailable('Dovecot needs root to start its own master');
  const tmp = await tempDir('dovecot');
  const d = tmp.dir;
  const pair = certs[options.cert];
  const service = (port: number) =>
    protocol === 'imap'
      ? `
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap-login {
  chroot =
}`
      : `
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${port}
  }
  unix_listener lmtp {
    mode = 0600
  }
}`;
  const conf = (port: number) => `
protocols = ${protocol}
listen = 127.0.0.1
base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
instance_name = tlsaudit-${port}
ssl = yes
ssl_cert = <${pair.cert}
ssl_key = <${pair.key}
ssl_dh = <${options.dhParams ?? '/usr/share/dovecot/dh.pem'}
${options.minProtocol ? `ssl_min_protocol = ${options.minProtocol}` : ''}
${options.ciphers ? `ssl_cipher_list = ${options.ciphers}` : ''}
ssl_prefer_server_ciphers = ${options.serverPreference ? 'yes' : 'no'}
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${d}/home
}
${service(port)}
service anvil {
  chroot =
}
`;
  const version = await debianVersion(debianPackage);
  try {
    const { s, port } = await startWithFreePort(async (port) => {
      await writeFile(join(d, 'dovecot.conf'), conf(port));
      return { s: await spawnListening(dovecot, ['-F', '-c', join(d, 'dovecot.conf')], port), port };
    });
    return { name: `Dovecot ${version} ${protocol.toUpperCase()} STARTTLS`, host: '127.0.0.1', port, starttls: protocol, stop: async () => (await s.stop(), await tmp.cleanup()) };
  } catch (error) {
    await tmp.cleanup();
    throw error;
  }
}

export interface PostfixOptions {
  cert: 'rsa' | 'ecdsa';
  /** smtpd_tls_protocols (Postfix syntax: ">=TLSv1.2"). */
  protocols?: string;
  /** smtpd_tls_ciphers grade: export, low, medium, high. */
  grade?: string;
}

const execFileAsync = promisify(execFile);

/** Postfix's smtpd under its own master (`master -d -c DIR`), with only the services smtpd needs before MAIL FROM. */
export async function startPostfix(certs: TestCerts, options: PostfixOptions): Promise<StackServer> {
  const master = await findProgram('postfix', '/usr/lib/postfix/sbin/master');
  const postfix = await findProgram('postfix', '/usr/sbin/postfix');
  // The master starts its daemons as mail_owner, which only root can do.
  if (process.getuid?.() !== 0) throw new StackUnavailable('Postfix needs root to start its own master');
  const tmp = await tempDir('postfix');
  const d = tmp.dir;
  const pair = certs[options.cert];
  const main = `
compatibility_level = 3.6
queue_directory = ${d}/queue
data_directory = ${d}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = localhost.localdomain
mydestination =
# Logged to a file: with maillog_file = /dev/stdout this instance stopped answering after a few connections.
maillog_file = ${d}/maillog
maillog_file_prefixes = ${d}
smtpd_tls_cert_file = ${pair.cert}
smtpd_tls_key_file = ${pair.key}
smtpd_tls_security_level = may
# No reverse DNS for the client: tests have no resolver to wait for.
smtpd_peername_lookup = no
${options.protocols ? `smtpd_tls_protocols = ${options.protocols}` : ''}
${options.grade ? `smtpd_tls_ciphers = ${options.grade}` : ''}
`;
  const services = (port: number) => `
127.0.0.1:${port} inet n - n - - smtpd
tlsmgr unix - - n 1000? 1 tlsmgr
proxymap unix - - n - - proxymap
anvil unix - - n - 1 anvil
rewrite unix - - n - - trivial-rewrite
postlog unix-dgram n - n - 1 postlogd
`;
  const version = await debianVersion('postfix');
  try {
    // Postfix's daemons run as the postfix user and must reach the queue and data directories.
    await chmod(d, 0o755);
    await mkdir(join(d, 'data'));
    await mkdir(join(d, 'queue'));
    const { stdout } = await execFileAsync('id', ['-u', 'postfix']);
    await chown(join(d, 'data'), Number(stdout.trim()), 0);
    await writeFile(join(d, 'main.cf'), main);
    const { s, port } = await startWithFreePort(async (port) => {
      await writeFile(join(d, 'master.cf'), services(port));
      // `postfix check` creates the queue's directories with their owners and modes (postfix-files).
      await execFileAsync(postfix, ['-c', d, 'check'], { env: { ...process.env, MAIL_CONFIG: d } });
      return { s: await spawnListening(master, ['-d', '-c', d], port, { cwd: d }), port };
    });
    return { name: `Postfix ${version} SMTP STARTTLS`, host: '127.0.0.1', port, starttls: 'smtp', stop: async () => (await s.stop(), await tmp.cleanup()) };
  } catch (error) {
    await tmp.cleanup();
    throw error;
  }
}
