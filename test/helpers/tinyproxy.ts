/**
 * tinyproxy (Debian's small HTTP proxy, CONNECT included) on 127.0.0.1 with its own config in a temp
 * dir, for tests of tunnelling. Every port may be tunnelled to (no ConnectPort line); the log at level
 * Connect records each request, so a test can see what went through it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './openssl-server.js';
import { canConnect, freePort } from './stacks/stack-process.js';

export interface TinyProxy {
  url: string;
  port: number;
  /** The requests tinyproxy logged so far ("CONNECT localhost:4433 HTTP/1.1", "GET http://... HTTP/1.1"). */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}


export async function startTinyProxy(): Promise<TinyProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'tlsaudit-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  await writeFile(
    join(dir, 'tinyproxy.conf'),
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 100', 'Allow 127.0.0.1', `LogFile "${log}"`, 'LogLevel Connect', `PidFile "${join(dir, 'tinyproxy.pid')}"`, 'DisableViaHeader Yes', ''].join('\n'),
  );
  // -d: stay in the foreground, so the test owns the process.
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  for (let i = 0; !(await canConnect(port)); i++) {
    if (i > 200 || child.exitCode !== null) {
      child.kill();
      throw new Error(`tinyproxy did not start on 127.0.0.1:${port}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: async () =>
      (await readFile(log, 'utf8').catch(() => ''))
        .split('\n')
        .map((l) => /Request \(file descriptor \d+\): (.*)$/.exec(l)?.[1])
        .filter((r): r is string => r !== undefined),
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
