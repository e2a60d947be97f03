import { isIP } from 'node:net';
import type { CertificateDetails, CertificateObservation } from '../../model/certificate.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { Provenance } from '../../model/source.js';
import type { CipherPreference } from '../../model/target.js';
import { suiteByCode, suiteByName } from '../../registry/index.js';
import { certificateFromPem } from '../certificate-from-pem.js';
import { ObservationBuilder, toIsoDate, validityFacts, type ImportResult } from '../observation-builder.js';
import type { TestsslScan } from './testssl-records.js';

/** testssl.sh's protocol ids ("TLS1_2") and the protocol part of its cipher ids ("cipher-tls1_2_xc02f"). */
const PROTOCOL_IDS: Readonly<Record<string, ProtocolVersion>> = {
  sslv2: 'SSLv2',
  ssl2: 'SSLv2',
  sslv3: 'SSLv3',
  ssl3: 'SSLv3',
  tls1: 'TLSv1.0',
  tlsv1: 'TLSv1.0',
  tls1_1: 'TLSv1.1',
  'tlsv1.1': 'TLSv1.1',
  tlsv1_1: 'TLSv1.1',
  tls1_2: 'TLSv1.2',
  'tlsv1.2': 'TLSv1.2',
  tlsv1_2: 'TLSv1.2',
  tls1_3: 'TLSv1.3',
  'tlsv1.3': 'TLSv1.3',
  tlsv1_3: 'TLSv1.3',
};

function protocolOf(id: string): ProtocolVersion | undefined {
  const key = id.toLowerCase();
  return Object.hasOwn(PROTOCOL_IDS, key) ? PROTOCOL_IDS[key] : undefined;
}

/**
 * The key exchange column of a cipher finding: "ECDH 253", "DH 2048", "RSA". testssl.sh prints the
 * curve's field size, so 253 and 448 name X25519 and X448 (no other curve has those sizes).
 */
function readKex(kex: string): { kexInfo?: string; group?: string; kexBits?: number } {
  const m = /^(ECDH|DH)\w*\s+(\d+)$/i.exec(kex.trim());
  if (!m) return kex.trim() && !/^RSA$/i.test(kex.trim()) ? { kexInfo: kex.trim() } : {};
  const bits = Number(m[2]);
  const group = m[1]!.toUpperCase() === 'ECDH' ? ({ 253: 'x25519', 448: 'x448' } as Record<number, string>)[bits] : undefined;
  return { kexInfo: kex.trim(), kexBits: bits, ...(group && { group }) };
}

function preferenceOf(finding: string): CipherPreference | undefined {
  if (/^server\b/i.test(finding.trim())) return 'server';
  if (/NOT a cipher order configured|no (?:server )?preference|client/i.test(finding)) return 'client';
  return undefined;
}

/** "cert_commonName <hostCert#2>": the second certificate of a dual-certificate server; only the first is read. */
function certIndex(id: string): { base: string; index: number } {
  const m = /^(.*?)\s*<(?:hostCert|cert)#(\d+)>$/.exec(id);
  return m ? { base: m[1]!, index: Number(m[2]) } : { base: id, index: 1 };
}

function readCertificate(byId: Map<string, string>, startedAt: string | undefined): Omit<CertificateObservation, keyof Provenance> | undefined {
  const get = (id: string) => {
    const v = byId.get(id)?.trim();
    return v && v !== '--' ? v : undefined;
  };
  const fromPem = certificateFromPem(get('cert'));
  const leaf: CertificateDetails = { ...fromPem };
  const cn = get('cert_commonName');
  if (!leaf.subject && cn) leaf.subject = `CN=${cn}`;
  const sans = get('cert_subjectAltName');
  if (!leaf.subjectAltNames && sans && !/^missing/i.test(sans)) {
    leaf.subjectAltNames = sans.split(/\s+/).map((n) => (isIP(n) ? `IP Address:${n}` : `DNS:${n}`));
  }
  const issuer = get('cert_caIssuers');
  if (!leaf.issuer && issuer) leaf.issuer = issuer;
  if (!leaf.notBefore) {
    const d = toIsoDate(get('cert_notBefore'));
    if (d) leaf.notBefore = d;
  }
  if (!leaf.notAfter) {
    const d = toIsoDate(get('cert_notAfter'));
    if (d) leaf.notAfter = d;
  }
  // "RSA 2048 bits", "EC 256 bits (curve P-256)", "ECDSA 384 bits"
  const key = /^(\w+)\s+(\d+)\s*bits?/i.exec(get('cert_keySize') ?? '');
  if (key && !leaf.keyType) leaf.keyType = /^EC/i.test(key[1]!) ? 'EC' : key[1]!.toUpperCase();
  if (key && leaf.keyBits === undefined) leaf.keyBits = Number(key[2]);
  const sig = get('cert_signatureAlgorithm');
  if (sig) leaf.signatureAlgorithm = sig;
  const fp = get('cert_fingerprintSHA256');
  if (!leaf.fingerprintSha256 && fp && /^[0-9a-f]{64}$/i.test(fp)) leaf.fingerprintSha256 = fp.toUpperCase().replace(/(..)(?!$)/g, '$1:');
  const serial = get('cert_serialNumber');
  if (!leaf.serialNumber && serial) leaf.serialNumber = serial.toUpperCase();
  if (Object.keys(leaf).length === 0) return undefined;

  const chain: CertificateDetails[] = [leaf];
  // testssl.sh 3.1+ saves the intermediates it was sent ("intermediate_cert <#1>", ...).
  for (const [id, value] of byId) {
    if (/^intermediate_cert\s*<#\d+>$/.test(id)) {
      const details = certificateFromPem(value);
      if (details) chain.push(details);
    }
  }
  const observation: Omit<CertificateObservation, keyof Provenance> = { chain, ...validityFacts(leaf, startedAt) };
  const trust = get('cert_chain_of_trust');
  if (trust) {
    if (/^passed/i.test(trust)) observation.trusted = true;
    else if (/^failed/i.test(trust)) {
      observation.trusted = false;
      const why = /\((.*)\)/.exec(trust)?.[1];
      if (why) observation.trustError = why;
    }
  }
  const nameMatch = get('cert_trust');
  if (nameMatch) {
    if (/^ok via/i.test(nameMatch)) observation.hostnameMatches = true;
    else if (/does not match|mismatch/i.test(nameMatch)) observation.hostnameMatches = false;
  }
  const expiry = get('cert_expirationStatus');
  if (expiry && observation.daysLeft === undefined) {
    if (/^expired/i.test(expiry)) observation.expired = true;
    const days = /\((-?\d+)\)|(\d+)\s*>=/.exec(expiry);
    const n = days?.[1] ?? days?.[2];
    if (n !== undefined) observation.daysLeft = Number(n);
  }
  const stapling = get('OCSP_stapling');
  if (stapling) observation.ocspStapled = /^offered/i.test(stapling);
  const ordering = get('certs_list_ordering_problem');
  if (ordering === 'no') observation.chainInOrder = true;
  else if (ordering === 'yes') observation.chainInOrder = false;
  return observation;
}

/** One testssl.sh scan of one host:port into one observation. */
export function normaliseTestsslScan(scan: TestsslScan, origin: string): ImportResult {
  const provenance: Provenance = { source: 'testssl', ...(scan.startedAt && { observedAt: scan.startedAt }), origin };
  const builder = new ObservationBuilder({ host: scan.host, ...(scan.address && { address: scan.address }), port: scan.port }, provenance);
  const byId = new Map<string, string>();
  const preferences = new Map<ProtocolVersion, CipherPreference>();
  const orders = new Map<ProtocolVersion, string[]>();
  /** Suites from `-e` (every cipher, no protocol named): "cipher_xc02f". */
  const unplaced = new Map<string, { name?: string; kex: ReturnType<typeof readKex> }>();
  let globalPreference: CipherPreference | undefined;

  for (const { id, finding, severity } of scan.records) {
    // The scanning client's own problems ("engine_problem", "clientProblem1") are about no server.
    if (/^(?:engine_problem|clientProblem\d*)$/.test(id)) continue;
    const { base, index } = certIndex(id);
    if (index === 1 && !byId.has(base)) byId.set(base, finding);
    const protocol = protocolOf(id);
    if (protocol) {
      // "offered", "offered (deprecated)", "offered (OK)", "offered with final"; everything else is not.
      if (/^offered/i.test(finding.trim())) builder.protocol(protocol);
      continue;
    }
    const cipher = /^cipher-(\w+?)_x([0-9a-f]+)$/i.exec(id);
    if (cipher) {
      const version = protocolOf(cipher[1]!);
      if (!version) {
        builder.warn(`testssl.sh finding "${id}" names no protocol tlsaudit knows; it is not judged`);
        continue;
      }
      // "TLS 1.2   xc02f   ECDHE-RSA-AES128-GCM-SHA256   ECDH 253   AESGCM   128   TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
      const cols = finding.trim().split(/\s{2,}/);
      const name = cols[2];
      builder.suite(version, { code: `0x${cipher[2]}`, ...(name && { name }), ...readKex(cols[3] ?? '') });
      continue;
    }
    const anyProtocol = /^cipher_x([0-9a-f]+)$/i.exec(id);
    if (anyProtocol) {
      // "xc030   ECDHE-RSA-AES256-GCM-SHA384   ECDH 256   AESGCM   256   TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
      const cols = finding.trim().split(/\s{2,}/);
      const code = suiteByCode(`0x${anyProtocol[1]!}`)?.hex ?? `0x${anyProtocol[1]!.toUpperCase()}`;
      unplaced.set(code, { ...(cols[1] && { name: cols[1] }), kex: readKex(cols[2] ?? '') });
      continue;
    }
    if (id === 'cipher_order') {
      globalPreference = preferenceOf(finding);
      continue;
    }
    // testssl.sh 3.1+: the preference per protocol ("cipher_order-tls1_2": "server").
    const perProtocol = /^cipher_order-(\w+)$/.exec(id);
    const perVersion = perProtocol ? protocolOf(perProtocol[1]!) : undefined;
    const perPreference = preferenceOf(finding);
    if (perVersion && perPreference) {
      preferences.set(perVersion, perPreference);
      continue;
    }
    // The server's order, best first, as OpenSSL names or hex codes ("cipherorder_TLSv1_2").
    const order = /^cipherorder_(\w+)$/.exec(id);
    const orderVersion = order ? protocolOf(order[1]!) : undefined;
    if (orderVersion) {
      orders.set(orderVersion, finding.trim().split(/\s+/));
      continue;
    }
    if (id === 'scanProblem' && /fatal/i.test(severity)) builder.error(`testssl.sh: ${finding.trim()}`);
    else if (/^P?FS_ECDHE_curves$/.test(id) && finding.trim()) builder.note(`testssl.sh: ECDHE curves offered: ${finding.trim()}`);
  }

  // With -e instead of -E, the server-order lists of -P are the only record of which suite goes with
  // which protocol; they name suites the OpenSSL way.
  for (const version of builder.versions()) {
    const names = orders.get(version);
    if (builder.suiteCount(version) > 0 || !names) continue;
    for (const name of names) {
      const suite = suiteByName(name);
      const seen = suite ? unplaced.get(suite.hex) : undefined;
      builder.suite(version, { name, ...seen?.kex });
    }
  }
  const placed = new Set(builder.versions().flatMap((v) => builder.codes(v)));
  const lost = [...unplaced].filter(([code]) => !placed.has(code));
  if (lost.length > 0) {
    builder.warn(
      `testssl.sh listed ${lost.length} accepted suite(s) without their protocol (-e; -E reports them per protocol): ${lost.map(([code, s]) => s.name ?? code).join(', ')}; they are not judged`,
    );
  }

  for (const version of builder.versions()) {
    const preference = preferences.get(version) ?? globalPreference;
    // One suite leaves nothing to prefer (nmap says "indeterminate" there): no evidence either way.
    if (preference && builder.suiteCount(version) > 1) builder.preference(version, preference);
    const names = orders.get(version);
    if (preference === 'server' && names) {
      const codes = names
        .map((n) => (/^x[0-9a-f]+$/i.test(n) ? suiteByCode(`0x${n.slice(1)}`) : suiteByName(n))?.hex)
        .filter((c): c is string => c !== undefined);
      builder.order(version, codes);
    }
  }
  const certificate = readCertificate(byId, scan.startedAt);
  if (certificate) builder.certificate(certificate);
  return { observations: [builder.build()], notices: builder.notices() };
}
