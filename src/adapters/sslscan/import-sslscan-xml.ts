import { XMLParser } from 'fast-xml-parser';
import { UNTRUSTED_XML_OPTIONS } from '../untrusted-xml-options.js';
import { InputError, inlineErrorMessage } from '../../errors.js';
import type { CertificateDetails, CertificateObservation } from '../../model/certificate.js';
import { parseProtocolVersion, type ProtocolVersion } from '../../model/protocol-version.js';
import type { Provenance } from '../../model/source.js';
import { groupByName } from '../../registry/index.js';
import { ObservationBuilder, toIsoDate, type ImportResult } from '../observation-builder.js';

// No entity is expanded (a DOCTYPE's entities never reach the values), and every value stays text.
const parser = new XMLParser({
  ...UNTRUSTED_XML_OPTIONS,
  cdataPropName: false,
  isArray: (name) => ['ssltest', 'protocol', 'cipher', 'group', 'certificate', 'certificates'].includes(name),
});

type Node = Record<string, unknown>;

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter((v): v is Node => v !== null && typeof v === 'object') : [];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (value !== null && typeof value === 'object' && typeof (value as Node)['#text'] === 'string') return ((value as Node)['#text'] as string).trim() || undefined;
  return undefined;
}

/** sslscan's <protocol type="tls" version="1.2"> into ours. */
function protocolOf(type: string | undefined, version: string | undefined): ProtocolVersion | undefined {
  if (!type || !version) return undefined;
  return parseProtocolVersion(`${type}${version}`);
}

function xmlDecode(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

function attr(node: Node, name: string): string | undefined {
  const v = node[name];
  return typeof v === 'string' ? xmlDecode(v) : undefined;
}

function readCertificate(cert: Node, checkedAt: string | undefined): Omit<CertificateObservation, keyof Provenance> | undefined {
  const leaf: CertificateDetails = {};
  const subject = text(cert.subject);
  if (subject) leaf.subject = /=/.test(subject) ? subject : `CN=${subject}`;
  const issuer = text(cert.issuer);
  if (issuer) leaf.issuer = /=/.test(issuer) ? issuer : `CN=${issuer}`;
  const alt = text(cert.altnames);
  if (alt) leaf.subjectAltNames = alt.split(/,\s*/).filter(Boolean);
  const sig = text(cert['signature-algorithm']);
  if (sig) leaf.signatureAlgorithm = sig;
  const pk = nodes([cert.pk])[0];
  if (pk && attr(pk, 'error') !== 'true') {
    const type = attr(pk, 'type');
    if (type) leaf.keyType = /^EC/i.test(type) ? 'EC' : type.toUpperCase();
    const bits = Number(attr(pk, 'bits'));
    if (Number.isInteger(bits) && bits > 0) leaf.keyBits = bits;
    const curve = attr(pk, 'curve_name');
    if (curve) {
      leaf.curve = curve;
      // sslscan 2 writes an EC key's security strength as its bits (128 for P-256, as for its groups);
      // the key size policies mean is the curve's.
      const curveBits = groupByName(curve)?.bits;
      if (curveBits !== undefined) leaf.keyBits = curveBits;
    }
  }
  const notBefore = toIsoDate(text(cert['not-valid-before']));
  if (notBefore) leaf.notBefore = notBefore;
  const notAfter = toIsoDate(text(cert['not-valid-after']));
  if (notAfter) leaf.notAfter = notAfter;
  const selfSigned = text(cert['self-signed']);
  if (selfSigned === 'true' || selfSigned === 'false') leaf.selfSigned = selfSigned === 'true';
  if (Object.keys(leaf).length === 0) return undefined;
  const observation: Omit<CertificateObservation, keyof Provenance> = { chain: [leaf] };
  if (checkedAt) observation.checkedAt = checkedAt;
  const expired = text(cert.expired);
  if (expired === 'true' || expired === 'false') observation.expired = expired === 'true';
  return observation;
}

/**
 * sslscan --xml output (1.x and 2.x) into observations, one per <ssltest>. sslscan lists each
 * protocol's suites in the order the server chose them, the first marked "preferred"; whether that
 * order is the server's or the client's it does not say. sslscan 1.x also lists suites the server
 * refused ("not accepted"), and writes no <protocol> elements.
 */
export function importSslscanXml(xml: string, origin: string): ImportResult {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    throw new InputError(`${origin} is not well-formed XML (${inlineErrorMessage(error)}).`, error);
  }
  const document = doc.document;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InputError(`${origin} is not sslscan XML (no <document> element).`);
  }
  const version = attr(document as Node, 'version');
  const result: ImportResult = { observations: [], notices: [] };
  for (const test of nodes((document as Node).ssltest)) {
    const host = attr(test, 'host');
    const port = Number(attr(test, 'port'));
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      result.notices.push(`${origin}: an <ssltest> without a host or a valid port was skipped.`);
      continue;
    }
    const provenance: Provenance = { source: 'sslscan', origin };
    const builder = new ObservationBuilder({ host, port }, provenance);
    if (version) builder.note(`sslscan ${version}`);
    const sni = attr(test, 'sniname');
    for (const p of nodes(test.protocol)) {
      const v = protocolOf(attr(p, 'type'), attr(p, 'version'));
      if (v && attr(p, 'enabled') === '1') builder.protocol(v);
    }
    for (const c of nodes(test.cipher)) {
      const status = attr(c, 'status') ?? '';
      if (status !== 'accepted' && status !== 'preferred') continue;
      const v = parseProtocolVersion(attr(c, 'sslversion') ?? '');
      if (!v) {
        builder.warn(`sslscan listed a suite under an unknown protocol "${attr(c, 'sslversion') ?? ''}"; it is not judged`);
        continue;
      }
      const curve = attr(c, 'curve');
      const ecdhBits = Number(attr(c, 'ecdhebits'));
      const dhBits = Number(attr(c, 'dhebits'));
      const kexBits = Number.isInteger(ecdhBits) && ecdhBits > 0 ? ecdhBits : Number.isInteger(dhBits) && dhBits > 0 ? dhBits : undefined;
      // sslscan 2 writes X25519 as curve="25519"; 1.x writes "P-256".
      const group = curve === undefined ? undefined : /^\d+$/.test(curve) ? `x${curve}` : curve;
      const name = attr(c, 'cipher');
      const code = attr(c, 'id');
      builder.suite(v, {
        ...(code !== undefined && { code }),
        ...(name !== undefined && { name }),
        ...(group !== undefined && { group, kexInfo: curve }),
        ...(group === undefined && Number.isInteger(dhBits) && dhBits > 0 && { kexInfo: `dh ${dhBits}` }),
        ...(kexBits !== undefined && { kexBits }),
      });
    }
    const groups = nodes(test.group).map((g) => attr(g, 'name')).filter((n): n is string => n !== undefined);
    if (groups.length > 0) builder.note(`sslscan: groups offered: ${[...new Set(groups)].join(', ')}`);
    const certs = [...nodes(test.certificates).flatMap((c) => nodes(c.certificate)), ...nodes(test.certificate)];
    const first = certs[0];
    const certificate = first ? readCertificate(first, undefined) : undefined;
    if (certificate) {
      if (sni) certificate.serverName = sni;
      builder.certificate(certificate);
    }
    result.observations.push(builder.build());
    result.notices.push(...builder.notices());
  }
  if (result.observations.length === 0 && result.notices.length === 0) result.notices.push(`${origin}: sslscan reported no host:port (nothing was scanned).`);
  return result;
}
