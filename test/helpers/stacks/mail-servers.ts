/**
 * Dovecot IMAP with STARTTLS (dovecot-imapd), run in the foreground as its own master with a configuration,
 * base_dir and state in a temp dir, listening on 127.0.0.1 only. The tests only ever reach the TLS
 * handshake after STARTTLS, so no user database or mail store is set up.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCerts } from '../openssl-server.js';
import { debianVersion } from './compiled-servers.js';
import { findProgram, spawnListening, startWithFreePort, tempDir, type StackServer } from './stack-process.js';

export interface DovecotOptions {
  cert: 'rsa' | 'ecdsa';
  /** ssl_min_protocol (TLSv1, TLSv1.1, TLSv1.2, ...). */
  minProtocol?: string;
  /** ssl_cipher_list (OpenSSL syntax). */
  ciphers?: string;
  serverPreference?: boolean;
  /** DH parameters for DHE suites: Debian's own file by default, as its packaged 10-ssl.conf sets. */
  dhParams?: string;
}

export async function startDovecot(certs: TestCerts, options: DovecotOptions): Promise<StackServer> {
  const dovecot = await findProgram('dovecot-imapd', '/usr/sbin/dovecot');
  await findProgram('dovecot-imapd', '/usr/lib/dovecot/imap-login');
  const tmp = await tempDir('dovecot');
  const d = tmp.dir;
  const pair = certs[options.cert];
  const conf = (port: number) => `
protocols = imap
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
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`;
  const version = await debianVersion('dovecot-imapd');
  try {
    const { s, port } = await startWithFreePort(async (port) => {
      await writeFile(join(d, 'dovecot.conf'), conf(port));
      return { s: await spawnListening(dovecot, ['-F', '-c', join(d, 'dovecot.conf')], port), port };
    });
    return { name: `Dovecot ${version} IMAP STARTTLS`, host: '127.0.0.1', port, starttls: 'imap', stop: async () => (await s.stop(), await tmp.cleanup()) };
  } catch (error) {
    await tmp.cleanup();
    throw error;
  }
}
