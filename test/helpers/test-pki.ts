/**
 * A throwaway PKI made with the real `openssl` at test time: a root, an intermediate, and leaves with
 * any dates (`openssl ca -startdate/-enddate`), names, keys and signature hashes.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OPENSSL, type CertPair } from './openssl-server.js';

const run = promisify(execFile);

export interface IssueOptions {
  /** File name stem. */
  name: string;
  cn: string;
  /** subjectAltName entries ("DNS:localhost", "IP:127.0.0.1"); none when empty. */
  sans?: string[];
  /** Who signs it: the root, the intermediate, or the leaf's own key. Default intermediate. */
  issuer?: 'root' | 'intermediate' | 'self';
  /** openssl req -newkey argument. Default rsa:2048. */
  key?: 'rsa:2048' | 'rsa:1024' | 'ec';
  /** Signature hash. Default sha256. */
  md?: 'sha256' | 'sha1';
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
}

export interface Issued extends CertPair {
  /** The issuers a server should send after the leaf (the intermediate, when it signed). */
  chain?: string;
}

export interface TestPki {
  dir: string;
  root: CertPair;
  intermediate: CertPair;
  issue(options: IssueOptions): Promise<Issued>;
  cleanup(): Promise<void>;
}

export const DAY = 86_400_000;

function asn1Time(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

const CONFIG = (dir: string): string => `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/new
serial = ${dir}/serial
policy = policy_any
unique_subject = no
copy_extensions = copy
email_in_dn = no
default_md = sha256
[ policy_any ]
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
`;

export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'tlsaudit-pki-'));
  await mkdir(join(dir, 'new'));
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, CONFIG(dir));
  let queue: Promise<unknown> = Promise.resolve();
  const keys = new Map<string, CertPair>();

  const issueNow = async (o: IssueOptions): Promise<Issued> => {
    const key = join(dir, `${o.name}.key`);
    const csr = join(dir, `${o.name}.csr`);
    const cert = join(dir, `${o.name}.crt`);
    const keySpec = o.key ?? 'rsa:2048';
    const newkey = keySpec === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', keySpec];
    const sans = o.sans && o.sans.length > 0 ? ['-addext', `subjectAltName=${o.sans.join(',')}`] : [];
    await run(OPENSSL, ['req', '-new', '-nodes', ...newkey, '-keyout', key, '-out', csr, '-subj', `/CN=${o.cn}`, ...sans]);
    const now = Date.now();
    const issuer = o.issuer ?? 'intermediate';
    const signer = issuer === 'self' ? ['-selfsign', '-keyfile', key] : ['-cert', keys.get(issuer)!.cert, '-keyfile', keys.get(issuer)!.key];
    await run(OPENSSL, [
      'ca', '-batch', '-notext', '-config', config, '-in', csr, '-out', cert, ...signer,
      '-md', o.md ?? 'sha256', '-extensions', o.ca ? 'v3_ca' : 'v3_leaf',
      '-startdate', asn1Time(o.notBefore ?? new Date(now - DAY)),
      '-enddate', asn1Time(o.notAfter ?? new Date(now + 90 * DAY)),
    ]);
    const issued: Issued = { cert, key };
    if (issuer === 'intermediate') issued.chain = keys.get('intermediate')!.cert;
    return issued;
  };
  const issue = (o: IssueOptions): Promise<Issued> => {
    // openssl ca keeps one database file: one issuance at a time.
    const next = queue.then(() => issueNow(o));
    queue = next.catch(() => undefined);
    return next;
  };

  const root = await issue({ name: 'root', cn: 'tlsaudit test root', issuer: 'self', ca: true, notAfter: new Date(Date.now() + 3650 * DAY) });
  keys.set('root', root);
  const intermediate = await issue({ name: 'intermediate', cn: 'tlsaudit test intermediate', issuer: 'root', ca: true, notAfter: new Date(Date.now() + 1825 * DAY) });
  keys.set('intermediate', intermediate);
  return { dir, root, intermediate, issue, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** PEM text of a certificate file, for building bundles. */
export function pem(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
