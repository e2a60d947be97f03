import { ByteReader, ByteWriter } from './bytes.js';
import { buildHandshakeMessage, parseExtensionList, writeExtensions, type Extension } from './handshake.js';
import { buildRecord } from './record.js';
import { codecError, ok, type Parsed } from './result.js';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES } from './tables.js';

export const WIRE_SSL3 = 0x0300;
export const WIRE_TLS10 = 0x0301;
export const WIRE_TLS12 = 0x0303;
export const WIRE_TLS13 = 0x0304;

export interface KeyShareEntry {
  group: number;
  key: Uint8Array;
}

export interface ClientHelloSpec {
  /** The version to offer: client_version for <= TLS 1.2, supported_versions for TLS 1.3. */
  version: number;
  cipherSuites: readonly number[];
  random: Uint8Array;
  sessionId?: Uint8Array;
  /** Host name for SNI (RFC 6066 §3); none for addresses. */
  serverName?: string;
  /** supported_groups (RFC 8422 §5.1.1, RFC 8446 §4.2.7). */
  groups?: readonly number[];
  signatureSchemes?: readonly number[];
  /** key_share entries; TLS 1.3 only. */
  keyShares?: readonly KeyShareEntry[];
  /**
   * SSLv3 has no extensions; a hello for it carries the renegotiation SCSV instead of renegotiation_info
   * (RFC 5746 §3.3), which also keeps SSLv3-only servers from choking on an extensions block.
   */
  extensions?: boolean;
}

/**
 * Builds a ClientHello handshake message body (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2).
 */
export function buildClientHelloBody(spec: ClientHelloSpec): Uint8Array {
  const tls13 = spec.version >= WIRE_TLS13;
  const withExtensions = spec.extensions ?? spec.version > WIRE_SSL3;
  const suites = [...spec.cipherSuites];
  if (!withExtensions && !suites.includes(0x00ff)) suites.push(0x00ff);

  const w = new ByteWriter()
    .u16(Math.min(spec.version, WIRE_TLS12))
    .bytes(spec.random)
    .vector(1, (s) => s.bytes(spec.sessionId ?? new Uint8Array(0)))
    .vector(2, (s) => s.bytes(encodeU16s(suites)))
    .vector(1, (s) => s.u8(0)); // only the null compression method

  if (!withExtensions) return w.finish();

  const ext: Extension[] = [];
  if (spec.serverName !== undefined && spec.serverName !== '') {
    const name = Buffer.from(spec.serverName, 'ascii');
    ext.push({
      type: EXTENSION_TYPES.server_name,
      data: new ByteWriter().vector(2, (l) => l.u8(0).vector(2, (n) => n.bytes(name))).finish(),
    });
  }
  if (spec.groups !== undefined && spec.groups.length > 0) {
    ext.push({ type: EXTENSION_TYPES.supported_groups, data: u16List(spec.groups) });
  }
  ext.push({ type: EXTENSION_TYPES.ec_point_formats, data: Uint8Array.of(1, 0) });
  if (spec.signatureSchemes !== undefined && spec.signatureSchemes.length > 0) {
    ext.push({ type: EXTENSION_TYPES.signature_algorithms, data: u16List(spec.signatureSchemes) });
  }
  ext.push({ type: EXTENSION_TYPES.renegotiation_info, data: Uint8Array.of(0) });
  if (tls13) {
    ext.push({ type: EXTENSION_TYPES.supported_versions, data: new ByteWriter().vector(1, (v) => v.u16(spec.version)).finish() });
    ext.push({
      type: EXTENSION_TYPES.key_share,
      data: new ByteWriter()
        .vector(2, (l) => {
          for (const k of spec.keyShares ?? []) l.u16(k.group).vector(2, (d) => d.bytes(k.key));
        })
        .finish(),
    });
  }
  const withoutPadding = new ByteWriter().bytes(w.finish());
  writeExtensions(withoutPadding, ext);
  // Some TLS terminators hang on ClientHellos of 256..511 bytes; RFC 7685 padding moves the hello past
  // that window, as browsers and OpenSSL do.
  const helloLength = 4 + withoutPadding.length;
  if (helloLength >= 256 && helloLength < 512) {
    ext.push({ type: EXTENSION_TYPES.padding, data: new Uint8Array(Math.max(0, 512 - helloLength - 4)) });
  }
  writeExtensions(w, ext);
  return w.finish();
}

/** The ClientHello wrapped in its handshake header and a record (record version 0x0301 except for SSLv3, as clients do). */
export function buildClientHello(spec: ClientHelloSpec): Uint8Array {
  const message = buildHandshakeMessage(HANDSHAKE_TYPES.client_hello, buildClientHelloBody(spec));
  return buildRecord(CONTENT_TYPES.handshake, spec.version <= WIRE_SSL3 ? WIRE_SSL3 : WIRE_TLS10, message);
}

export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extension[];
  serverName?: string;
  supportedVersions?: number[];
  groups?: number[];
  signatureSchemes?: number[];
  keyShares?: KeyShareEntry[];
}

/** Reads a ClientHello body; test servers use it to answer a probe's hello. */
export function parseClientHello(body: Uint8Array): Parsed<ClientHello> {
  const r = new ByteReader(body);
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vector(1);
  const suites = r.vector(2);
  const compression = r.vector(1);
  if (legacyVersion === undefined || random === undefined || sessionId === undefined || suites === undefined || compression === undefined) {
    return codecError('decode-error', `a ClientHello of ${body.length} bytes is truncated`);
  }
  if (suites.length % 2 !== 0) return codecError('decode-error', 'a ClientHello has an odd-length cipher suite list');
  const hello: ClientHello = {
    legacyVersion,
    random,
    sessionId,
    cipherSuites: readU16s(suites),
    compressionMethods: [...compression],
    extensions: [],
  };
  if (r.remaining > 0) {
    const block = r.vector(2);
    const list = block === undefined ? undefined : parseExtensionList(block);
    if (list === undefined) return codecError('decode-error', 'a ClientHello has a malformed extensions block');
    hello.extensions = list;
    for (const e of list) {
      const er = new ByteReader(e.data);
      if (e.type === EXTENSION_TYPES.server_name) {
        const l = er.vector(2);
        if (l !== undefined && l[0] === 0) {
          const n = new ByteReader(l, 1).vector(2);
          if (n !== undefined) hello.serverName = Buffer.from(n).toString('ascii');
        }
      } else if (e.type === EXTENSION_TYPES.supported_versions) {
        const l = er.vector(1);
        if (l !== undefined) hello.supportedVersions = readU16s(l);
      } else if (e.type === EXTENSION_TYPES.supported_groups) {
        const l = er.vector(2);
        if (l !== undefined) hello.groups = readU16s(l);
      } else if (e.type === EXTENSION_TYPES.signature_algorithms) {
        const l = er.vector(2);
        if (l !== undefined) hello.signatureSchemes = readU16s(l);
      } else if (e.type === EXTENSION_TYPES.key_share) {
        const l = er.vector(2);
        if (l !== undefined) {
          const kr = new ByteReader(l);
          const shares: KeyShareEntry[] = [];
          while (kr.remaining > 0) {
            const group = kr.u16();
            const key = kr.vector(2);
            if (group === undefined || key === undefined) break;
            shares.push({ group, key });
          }
          hello.keyShares = shares;
        }
      }
    }
  }
  return ok(hello, r.offset);
}

function u16List(values: readonly number[]): Uint8Array {
  return new ByteWriter().vector(2, (l) => l.bytes(encodeU16s(values))).finish();
}

/** Big-endian 16-bit values in one array (a hello's suite list runs to some 385 of them). */
function encodeU16s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    out[2 * i] = (values[i]! >>> 8) & 0xff;
    out[2 * i + 1] = values[i]! & 0xff;
  }
  return out;
}

function readU16s(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) out.push((data[i]! << 8) | data[i + 1]!);
  return out;
}
