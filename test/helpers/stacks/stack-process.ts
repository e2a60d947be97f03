/**
 * Starting a real server program from a Debian package on loopback: find the program (or say which package
 * is missing), pick a free port for servers that only take one in their configuration, start it in the
 * foreground, wait until it accepts connections, and stop it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../openssl-server.js';

/** A running TLS server the tests can probe. */
export interface StackServer {
  /** Implementation and configuration, for test names and failure messages. */
  name: string;
  host: string;
  port: number;
  /** STARTTLS protocol to speak first, if any. */
  starttls?: 'imap' | 'smtp' | 'lmtp';
  stop(): Promise<void>;
}

/** Why a stack cannot run here: the Debian package that provides the missing program. */
export class StackUnavailable extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = 'StackUnavailable';
  }
}

/** The first of `paths` that exists and is executable, or a StackUnavailable naming `pkg`. */
export async function findProgram(pkg: string, ...paths: string[]): Promise<string> {
  for (const p of paths) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // try the next
    }
  }
  throw new StackUnavailable(`${paths[0]} not found: install the Debian package ${pkg}`);
}

export async function requireFile(pkg: string, path: string): Promise<string> {
  try {
    await access(path, constants.R_OK);
    return path;
  } catch {
    throw new StackUnavailable(`${path} not found: install the Debian package ${pkg}`);
  }
}

/**
 * A port that was free a moment ago on 127.0.0.1. Servers configured from a file (nginx, Apache, ...)
 * cannot be told to take port 0 and report it; startWithFreePort retries should another test take it first.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function tempDir(name: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tlsaudit-${name}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Start it in a process group of its own: Apache signals its whole group when it stops, test runner included. */
  ownProcessGroup?: boolean;
}

/** Spawns a server program with its output collected. */
function spawnServer(program: string, args: readonly string[], options: SpawnOptions): { child: ChildProcess; output(): string } {
  const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup ?? false });
  let out = '';
  // Drained for the server's whole life, so a chatty one never blocks on a full pipe.
  const collect = (c: Buffer) => (out = (out + c.toString('latin1')).slice(-16384));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return { child, output: () => out };
}

/** Runs `fn` with a fresh temp dir that is removed again if `fn` fails (on success its server's stop removes it). */
export async function inTempDir<T>(name: string, fn: (tmp: { dir: string; cleanup(): Promise<void> }) => Promise<T>): Promise<T> {
  const tmp = await tempDir(name);
  try {
    return await fn(tmp);
  } catch (error) {
    await tmp.cleanup();
    throw error;
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface SpawnedServer {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `program` and resolves once 127.0.0.1:`port` accepts a TCP connection; rejects with the program's
 * own output if it exits first or is not listening within `readyMs`.
 */
export async function spawnListening(
  program: string,
  args: readonly string[],
  port: number,
  options: SpawnOptions & { readyMs?: number } = {},
): Promise<SpawnedServer> {
  const { child, output } = spawnServer(program, args, options);
  let exited = false;
  child.once('exit', () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let failure: Error | undefined;
  void spawnError.then((e) => (failure = e));
  const until = Date.now() + (options.readyMs ?? 20_000);
  for (;;) {
    if (failure) throw failure;
    if (exited) throw new Error(`${program} ${args.join(' ')} exited before listening on port ${port}:\n${output()}`);
    if (await canConnect(port)) break;
    if (Date.now() > until) {
      await stopChild(child);
      throw new Error(`${program} did not listen on port ${port}:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output, stop: () => stopChild(child) };
}

/** Runs `start(port)` on a free port, once more on another should the first have been taken meanwhile. */
export async function startWithFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(await freePort());
  } catch (error) {
    if (!/address already in use|EADDRINUSE|could not bind|cannot bind/i.test(String(error))) throw error;
    return start(await freePort());
  }
}

/** Spawns a test server of ours that binds 127.0.0.1:0 itself and prints "PORT n" once listening. */
export function spawnPrintingPort(program: string, args: readonly string[], options: SpawnOptions & { readyMs?: number } = {}): Promise<SpawnedServer & { port: number }> {
  const { child, output } = spawnServer(program, args, options);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void stopChild(child).then(() => reject(new Error(`${program} printed no port within ${options.readyMs ?? 30_000} ms:\n${output()}`)));
    }, options.readyMs ?? 30_000);
    const onData = () => {
      const m = /^PORT (\d+)$/m.exec(output());
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output, stop: () => stopChild(child) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${program} ${args.join(' ')} ${why} before listening:\n${output()}`));
    };
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  });
}

/** Runs a build step (compiler) and rejects with its output when it fails. */
export function runBuild(program: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('latin1')));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString('latin1')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} ${args.join(' ')} failed (${code}):\n${out}`))));
  });
}
