import { ByteReader, ByteWriter, equalBytes } from './bytes.js';
import { parseExtensionList, writeExtensions, type Extension } from './handshake.js';
import { codecError, ok, type Parsed } from './result.js';
import { EXTENSION_TYPES, HELLO_RETRY_REQUEST_RANDOM } from './tables.js';

export interface ServerHello {
  /** legacy_version as sent (0x0303 for TLS 1.3). */
  legacyVersion: number;
  /** The negotiated version: supported_versions' selected_version when present (RFC 8446 §4.2.1), else legacyVersion. */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
  /** True when random is the HelloRetryRequest magic (RFC 8446 §4.1.3). */
  helloRetryRequest: boolean;
  /** key_share: the server's group (ServerHello) or selected_group (HelloRetryRequest). */
  keyShareGroup?: number;
}

/** Reads a ServerHello body (the handshake message without its 4-byte header). */
export function parseServerHello(body: Uint8Array): Parsed<ServerHello> {
  const r = new ByteReader(body);
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vector(1);
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  if (r.short || legacyVersion === undefined || random === undefined || sessionId === undefined || cipherSuite === undefined || compressionMethod === undefined) {
    return codecError('decode-error', `a ServerHello of ${body.length} bytes is truncated`);
  }
  if (sessionId.length > 32) return codecError('decode-error', `a ServerHello carries a ${sessionId.length}-byte session id (at most 32 allowed)`);
  let extensions: Extension[] = [];
  if (r.remaining > 0) {
    const block = r.vector(2);
    const list = block === undefined ? undefined : parseExtensionList(block);
    if (list === undefined) return codecError('decode-error', 'a ServerHello has a malformed extensions block');
    extensions = list;
  }
  const helloRetryRequest = equalBytes(random, HELLO_RETRY_REQUEST_RANDOM);
  let version = legacyVersion;
  let keyShareGroup: number | undefined;
  for (const e of extensions) {
    if (e.type === EXTENSION_TYPES.supported_versions) {
      if (e.data.length !== 2) return codecError('decode-error', 'a ServerHello has a malformed supported_versions extension');
      version = (e.data[0]! << 8) | e.data[1]!;
    } else if (e.type === EXTENSION_TYPES.key_share) {
      if (e.data.length < 2) return codecError('decode-error', 'a ServerHello has a malformed key_share extension');
      keyShareGroup = (e.data[0]! << 8) | e.data[1]!;
    }
  }
  const value: ServerHello = { legacyVersion, version, random, sessionId, cipherSuite, compressionMethod, extensions, helloRetryRequest };
  if (keyShareGroup !== undefined) value.keyShareGroup = keyShareGroup;
  return ok(value, body.length);
}

export interface ServerHelloSpec {
  legacyVersion: number;
  random: Uint8Array;
  sessionId?: Uint8Array;
  cipherSuite: number;
  compressionMethod?: number;
  extensions?: Extension[];
}

/** Builds a ServerHello body; used by test servers that misbehave on purpose. */
export function buildServerHello(spec: ServerHelloSpec): Uint8Array {
  const w = new ByteWriter()
    .u16(spec.legacyVersion)
    .bytes(spec.random)
    .vector(1, (s) => s.bytes(spec.sessionId ?? new Uint8Array(0)))
    .u16(spec.cipherSuite)
    .u8(spec.compressionMethod ?? 0);
  if (spec.extensions !== undefined) writeExtensions(w, spec.extensions);
  return w.finish();
}
