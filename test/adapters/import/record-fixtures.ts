/**
 * Records fixtures/import/<scenario>/ with the real testssl.sh, sslscan and nmap (ssl-enum-ciphers and
 * ssl-cert), all against the same local `openssl s_server` per scenario (SCENARIOS of the nmap tests),
 * so the tools' files can be compared with each other:
 *
 *   node --import tsx test/adapters/import/record-fixtures.ts [SCENARIO...]
 *
 * Each scenario folder gets nmap.xml, testssl.json (--jsonfile), testssl-pretty.json (--jsonfile-pretty),
 * testssl.csv (--csvfile) and sslscan.xml (--xml). fixtures/README.md says what each file is.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTestCerts, startOpenSslServer } from '../../helpers/openssl-server.js';
import { runNmap } from '../../helpers/nmap.js';
import { SCENARIOS } from '../nmap/scenarios.js';
import { SSLSCAN, TESTSSL, TESTSSL_CHECKS } from './tools.js';

const execFileAsync = promisify(execFile);
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/import');

async function testssl(target: string, output: string[]): Promise<void> {
  // testssl.sh exits with the number of findings of some severities; only the files matter here.
  await execFileAsync(TESTSSL, [...TESTSSL_CHECKS, '--warnings', 'off', '--quiet', '--color', '0', ...output, target], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { code?: unknown }) => {
    if (typeof error.code !== 'number') throw error;
  });
}

async function record(name: string): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const certs = await makeTestCerts();
  const work = await mkdtemp(join(tmpdir(), 'tlsaudit-record-'));
  const server = await startOpenSslServer(scenario.server(certs));
  const dir = join(OUT, name);
  try {
    await mkdir(dir, { recursive: true });
    const target = `127.0.0.1:${server.port}`;
    const nmap = await runNmap({ ports: [server.port], script: false, extraArgs: ['--script', '+ssl-enum-ciphers,+ssl-cert'] });
    await writeFile(join(dir, 'nmap.xml'), nmap);
    const { stdout } = await execFileAsync(SSLSCAN, ['--no-colour', `--xml=${join(work, 'sslscan.xml')}`, target]);
    if (!stdout.includes('Testing SSL server')) throw new Error(`sslscan did not scan ${target}:\n${stdout}`);
    await copyFile(join(work, 'sslscan.xml'), join(dir, 'sslscan.xml'));
    await testssl(target, ['--jsonfile', join(work, 'testssl.json'), '--csvfile', join(work, 'testssl.csv')]);
    await testssl(target, ['--jsonfile-pretty', join(work, 'testssl-pretty.json')]);
    for (const f of ['testssl.json', 'testssl.csv', 'testssl-pretty.json']) {
      const text = await readFile(join(work, f), 'utf8');
      await writeFile(join(dir, f), text);
    }
    console.error(`recorded fixtures/import/${name}/`);
  } finally {
    await server.stop();
    await certs.cleanup();
    await rm(work, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
for (const s of SCENARIOS) if (wanted.length === 0 || wanted.includes(s.name)) await record(s.name);
