import { InputError, inlineErrorMessage } from '../../errors.js';
import type { CertificateDetails, CertificateObservation } from '../../model/certificate.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { Provenance } from '../../model/source.js';
import { groupByName } from '../../registry/index.js';
import { certificateFromPem } from '../certificate-from-pem.js';
import { ObservationBuilder, toIsoDate, validityFacts, type ImportResult } from '../observation-builder.js';

type Json = Record<string, unknown>;

/** sslyze's scan commands for the suites of each protocol (the same names from sslyze 3 to 6). */
const CIPHER_COMMANDS: readonly [string, ProtocolVersion][] = [
  ['ssl_2_0_cipher_suites', 'SSLv2'],
  ['ssl_3_0_cipher_suites', 'SSLv3'],
  ['tls_1_0_cipher_suites', 'TLSv1.0'],
  ['tls_1_1_cipher_suites', 'TLSv1.1'],
  ['tls_1_2_cipher_suites', 'TLSv1.2'],
  ['tls_1_3_cipher_suites', 'TLSv1.3'],
];

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Json => v !== undefined) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * A scan command's result. sslyze 5 and 6 wrap each in {status, result, error_reason}; sslyze 3 and 4
 * put the result itself there and list failures in scan_commands_errors.
 */
function commandResult(commands: Json, name: string, errors: Json | undefined): { result?: Json; error?: string } {
  const entry = obj(commands[name]);
  const failed = obj(errors?.[name]);
  if (failed) return { error: str(failed.reason) ?? str(failed.exception_trace)?.split('\n').at(-2) ?? 'failed' };
  if (!entry) return {};
  if (typeof entry.status === 'string' && ('result' in entry || 'error_reason' in entry)) {
    if (entry.status !== 'COMPLETED') return entry.status === 'NOT_SCHEDULED' ? {} : { error: str(entry.error_reason) ?? entry.status };
    const result = obj(entry.result);
    return result ? { result } : {};
  }
  return { result: entry };
}

/** "CN=example.com,O=Example" (sslyze 3+), or the older "commonName=example.com, organizationName=..." text. */
function distinguishedName(value: unknown): string | undefined {
  const o = obj(value);
  // The attributes in certificate order ("C=US, O=Example, CN=..."), as the other sources write names;
  // rfc4514_string reverses them (RFC 4514 section 2.1).
  const parts = list(o?.attributes).map((a) => str(a.rfc4514_string)).filter((p): p is string => p !== undefined);
  if (parts.length > 0) return parts.join(', ');
  return str(o?.rfc4514_string) ?? str(value);
}

function readCertificateDetails(cert: Json): CertificateDetails {
  const details: CertificateDetails = { ...certificateFromPem(str(cert.as_pem)) };
  const subject = distinguishedName(cert.subject);
  if (!details.subject && subject) details.subject = subject;
  const issuer = distinguishedName(cert.issuer);
  if (!details.issuer && issuer) details.issuer = issuer;
  if (!details.subjectAltNames) {
    const san = obj(cert.subject_alternative_name) ?? obj(cert.subjectAlternativeName);
    const dns = [...(Array.isArray(san?.dns) ? san.dns : []), ...(Array.isArray(san?.DNS) ? san.DNS : [])].filter((n): n is string => typeof n === 'string');
    const ips = (Array.isArray(san?.ip_addresses) ? san.ip_addresses : []).filter((n): n is string => typeof n === 'string');
    if (dns.length + ips.length > 0) details.subjectAltNames = [...dns.map((n) => `DNS:${n}`), ...ips.map((n) => `IP Address:${n}`)];
  }
  if (!details.notBefore) {
    const d = toIsoDate(str(cert.not_valid_before) ?? str(cert.notBefore));
    if (d) details.notBefore = d;
  }
  if (!details.notAfter) {
    const d = toIsoDate(str(cert.not_valid_after) ?? str(cert.notAfter));
    if (d) details.notAfter = d;
  }
  const key = obj(cert.public_key) ?? obj(cert.publicKey);
  if (key) {
    // "_RSAPublicKey", "_EllipticCurvePublicKey", "RSAPublicKey" (cryptography's class names)
    const algorithm = str(key.algorithm) ?? '';
    if (!details.keyType) {
      if (/RSA/i.test(algorithm)) details.keyType = 'RSA';
      else if (/Elliptic|EC/i.test(algorithm)) details.keyType = 'EC';
      else if (/DSA/i.test(algorithm)) details.keyType = 'DSA';
      else if (/Ed25519/i.test(algorithm)) details.keyType = 'ED25519';
    }
    const size = int(key.key_size) ?? int(Number(key.size));
    if (details.keyBits === undefined && size !== undefined && size > 0) details.keyBits = size;
    const curve = str(key.ec_curve_name) ?? str(key.curve);
    if (!details.curve && curve) details.curve = curve;
  }
  const sig = str(obj(cert.signature_algorithm_oid)?.name) ?? str(obj(cert.signature_hash_algorithm)?.name) ?? str(cert.signatureAlgorithm);
  if (sig) details.signatureAlgorithm = sig;
  const fp = str(cert.fingerprint_sha256);
  if (!details.fingerprintSha256 && fp) {
    // sslyze 5+ writes the digest in base64.
    const hex = /^[0-9a-f:]{64,95}$/i.test(fp) ? fp.replaceAll(':', '') : Buffer.from(fp, 'base64').toString('hex');
    if (/^[0-9a-f]{64}$/i.test(hex)) details.fingerprintSha256 = hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');
  }
  return details;
}

function readCertificate(info: Json, checkedAt: string | undefined): Omit<CertificateObservation, keyof Provenance> | undefined {
  const deployment = list(info.certificate_deployments)[0];
  if (!deployment) return undefined;
  const chain = list(deployment.received_certificate_chain).map(readCertificateDetails);
  const leaf = chain[0];
  if (!leaf) return undefined;
  const observation: Omit<CertificateObservation, keyof Provenance> = { chain, ...validityFacts(leaf, checkedAt) };
  const sni = str(info.hostname_used_for_server_name_indication);
  if (sni) {
    observation.serverName = sni;
    observation.hostnameChecked = sni;
  }
  const matches = deployment.leaf_certificate_subject_matches_hostname;
  if (typeof matches === 'boolean') observation.hostnameMatches = matches;
  const order = deployment.received_chain_has_valid_order;
  if (typeof order === 'boolean') observation.chainInOrder = order;
  // Trusted when the Mozilla store (the one most clients share) validated the chain.
  const validations = list(deployment.path_validation_results);
  const mozilla = validations.find((v) => /mozilla/i.test(str(obj(v.trust_store)?.name) ?? '')) ?? validations[0];
  if (mozilla) {
    const store = str(obj(mozilla.trust_store)?.name);
    if (store) observation.trustStore = store;
    const verified = Array.isArray(mozilla.verified_certificate_chain) && mozilla.verified_certificate_chain.length > 0;
    const error = str(mozilla.openssl_error_string) ?? str(mozilla.validation_error);
    observation.trusted = verified && error === undefined;
    if (error) observation.trustError = error;
  }
  const ocsp = deployment.ocsp_response;
  if (ocsp !== undefined) observation.ocspStapled = ocsp !== null;
  return observation;
}

function readServer(server: Json, origin: string, startedAt: string | undefined): { observation?: ImportResult; skipped?: string } {
  // sslyze 5+: server_location; sslyze 3 and 4: server_info.server_location.
  const location = obj(server.server_location) ?? obj(obj(server.server_info)?.server_location);
  const host = str(location?.hostname) ?? str(location?.ip_address);
  const port = int(location?.port);
  if (!location || !host || port === undefined || port < 1 || port > 65535) return { skipped: `${origin}: a server result without a host or a valid port was skipped.` };
  const address = str(location.ip_address);
  const provenance: Provenance = { source: 'sslyze', ...(startedAt && { observedAt: startedAt }), origin };
  const builder = new ObservationBuilder({ host, ...(address && { address }), port }, provenance);
  const network = obj(server.network_configuration) ?? obj(obj(server.server_info)?.network_configuration);
  const starttls = str(network?.tls_opportunistic_encryption);
  if (starttls) builder.target.starttls = starttls.toLowerCase().replace(/^starttls_?/, '');

  if (server.connectivity_status === 'ERROR') {
    builder.error(`sslyze could not connect: ${str(server.connectivity_error_trace)?.trim().split('\n').at(-1) ?? 'connectivity error'}`);
    return { observation: { observations: [builder.build()], notices: builder.notices() } };
  }
  const commands = obj(server.scan_result) ?? obj(server.scan_commands_results) ?? {};
  const errors = obj(server.scan_commands_errors);
  for (const [command, version] of CIPHER_COMMANDS) {
    const { result, error } = commandResult(commands, command, errors);
    if (error) builder.warn(`sslyze's ${command} failed (${error}); ${version} is not judged from this file`);
    if (!result) continue;
    const accepted = list(result.accepted_cipher_suites);
    if (accepted.length > 0 || result.is_tls_version_supported === true) builder.protocol(version);
    for (const a of accepted) {
      const suite = obj(a.cipher_suite);
      const name = str(suite?.name);
      const opensslName = str(suite?.openssl_name);
      const key = obj(a.ephemeral_key);
      const curve = str(key?.curve_name);
      const size = int(key?.size);
      const type = str(key?.type_name);
      const group = curve ? (groupByName(curve)?.name ?? curve) : undefined;
      builder.suite(version, {
        // sslyze writes IANA names; its OpenSSL name places a suite whose IANA name the registry spells otherwise.
        ...((name ?? opensslName) !== undefined && { name: (name ?? opensslName)! }),
        ...(name !== undefined && opensslName !== undefined && { aliases: [opensslName] }),
        ...(group !== undefined && { group, kexInfo: curve! }),
        ...(group === undefined && type !== undefined && size !== undefined && { kexInfo: `${type.toLowerCase()} ${size}` }),
        ...(size !== undefined && { kexBits: size }),
      });
    }
    // sslyze 3 and 4 name the suite the server chose from the client's whole list: it has an order of its own.
    if (obj(result.cipher_suite_preferred_by_server) && accepted.length > 1) builder.preference(version, 'server');
  }
  const curves = commandResult(commands, 'elliptic_curves', errors).result;
  const supported = list(curves?.supported_curves).map((c) => str(c.name)).filter((n): n is string => n !== undefined);
  if (supported.length > 0) builder.note(`sslyze: curves offered: ${supported.join(', ')}`);
  const info = commandResult(commands, 'certificate_info', errors).result;
  const certificate = info ? readCertificate(info, startedAt) : undefined;
  if (certificate) builder.certificate(certificate);
  return { observation: { observations: [builder.build()], notices: builder.notices() } };
}

/** sslyze 1 and 2's commands for the suites of each protocol. */
const LEGACY_CIPHER_COMMANDS: readonly [string, ProtocolVersion][] = [
  ['sslv2', 'SSLv2'],
  ['sslv3', 'SSLv3'],
  ['tlsv1', 'TLSv1.0'],
  ['tlsv1_1', 'TLSv1.1'],
  ['tlsv1_2', 'TLSv1.2'],
  ['tlsv1_3', 'TLSv1.3'],
];

/**
 * One accepted target of sslyze 1 and 2 (`accepted_targets`): suites by OpenSSL name with their DH or
 * ECDH group size, `preferred_cipher` when the server has an order, and `certinfo` with text names.
 */
function readLegacyTarget(target: Json, origin: string): { observation?: ImportResult; skipped?: string } {
  const info = obj(target.server_info);
  const host = str(info?.hostname) ?? str(info?.ip_address);
  const port = int(info?.port);
  if (!info || !host || port === undefined || port < 1 || port > 65535) return { skipped: `${origin}: a target without a host or a valid port was skipped.` };
  const address = str(info.ip_address);
  const builder = new ObservationBuilder({ host, ...(address && { address }), port }, { source: 'sslyze', origin });
  const commands = obj(target.commands_results) ?? {};
  for (const [command, version] of LEGACY_CIPHER_COMMANDS) {
    const result = obj(commands[command]);
    if (!result) continue;
    const accepted = list(result.accepted_cipher_list);
    if (accepted.length > 0) builder.protocol(version);
    for (const a of accepted) {
      const name = str(a.openssl_name);
      const dh = obj(a.dh_info);
      const type = str(dh?.Type);
      const bits = Number(str(dh?.GroupSize));
      const curve = str(dh?.Curve) ?? str(dh?.curve_name);
      builder.suite(version, {
        ...(name !== undefined && { name }),
        ...(curve !== undefined && { group: curve, kexInfo: curve }),
        ...(curve === undefined && type !== undefined && Number.isInteger(bits) && { kexInfo: `${type.toLowerCase()} ${bits}` }),
        ...(Number.isInteger(bits) && bits > 0 && { kexBits: bits }),
      });
    }
    if (obj(result.preferred_cipher) && accepted.length > 1) builder.preference(version, 'server');
  }
  const certinfo = obj(commands.certinfo);
  const chain = list(certinfo?.certificate_chain).map(readCertificateDetails);
  if (certinfo && chain.length > 0) {
    const observation: Omit<CertificateObservation, keyof Provenance> = { chain };
    if (typeof certinfo.certificate_matches_hostname === 'boolean') observation.hostnameMatches = certinfo.certificate_matches_hostname;
    if (typeof certinfo.is_certificate_chain_order_valid === 'boolean') observation.chainInOrder = certinfo.is_certificate_chain_order_valid;
    const validations = list(certinfo.path_validation_result_list);
    const mozilla = validations.find((v) => /mozilla/i.test(str(obj(v.trust_store)?.name) ?? ''));
    if (mozilla && typeof mozilla.is_certificate_trusted === 'boolean') {
      observation.trustStore = str(obj(mozilla.trust_store)?.name)!;
      observation.trusted = mozilla.is_certificate_trusted;
      const why = str(mozilla.verify_string);
      if (!mozilla.is_certificate_trusted && why) observation.trustError = why;
    }
    builder.certificate(observation);
  }
  return { observation: { observations: [builder.build()], notices: builder.notices() } };
}

/**
 * sslyze --json_out output into observations, one per server: sslyze 3 to 6 (server_scan_results with
 * scan_commands_results or scan_result), and sslyze 1 and 2 (accepted_targets with commands_results).
 */
export function importSslyzeJson(text: string, origin: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${origin} is not JSON: ${inlineErrorMessage(error)}.`, error);
  }
  const doc = obj(data);
  if (!doc || !(Array.isArray(doc.server_scan_results) || Array.isArray(doc.accepted_targets))) {
    throw new InputError(`${origin} is not sslyze JSON: neither "server_scan_results" (sslyze 3 and newer) nor "accepted_targets" (sslyze 1 and 2).`);
  }
  const startedAt = toIsoDate(str(doc.date_scans_started));
  const result: ImportResult = { observations: [], notices: [] };
  const servers = [
    ...list(doc.server_scan_results).map((server) => readServer(server, origin, startedAt)),
    ...list(doc.accepted_targets).map((target) => readLegacyTarget(target, origin)),
  ];
  for (const one of servers) {
    if (one.skipped) result.notices.push(one.skipped);
    if (one.observation) {
      result.observations.push(...one.observation.observations);
      result.notices.push(...one.observation.notices);
    }
  }
  // sslyze 3 and 4 list the servers it could not reach apart from the results.
  for (const failed of list(doc.server_connectivity_errors)) {
    const where = str(failed.server_string) ?? 'a server';
    result.notices.push(`${origin}: sslyze could not connect to ${where}: ${str(failed.error_message) ?? 'connectivity error'}.`);
  }
  for (const invalid of [...list(doc.invalid_server_strings), ...list(doc.invalid_targets)]) {
    result.notices.push(`${origin}: sslyze rejected the server string ${str(invalid.server_string) ?? '?'}: ${str(invalid.error_message) ?? 'invalid'}.`);
  }
  return result;
}
