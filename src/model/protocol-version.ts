/** Protocol versions in ascending order; the order is relied on ("older than TLS 1.2"). */
export const PROTOCOL_VERSIONS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** Wire version numbers (RFC 8446 §4.2.1, RFC 5246 App. E); SSLv2 uses 0x0002. */
export const PROTOCOL_WIRE_VERSIONS: Readonly<Record<ProtocolVersion, number>> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

export function isProtocolVersion(value: unknown): value is ProtocolVersion {
  return typeof value === 'string' && (PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

export function compareProtocolVersions(a: ProtocolVersion, b: ProtocolVersion): number {
  return PROTOCOL_VERSIONS.indexOf(a) - PROTOCOL_VERSIONS.indexOf(b);
}

/**
 * Reads the spellings sources use ("TLSv1", "TLS 1.0", "TLSv1.0", "SSL 3.0", "tls1_2") into ours.
 * Returns undefined for anything else.
 */
export function parseProtocolVersion(text: string): ProtocolVersion | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '').replace('_', '.');
  const m = /^(ssl|tls)v?(\d)(?:\.(\d))?$/.exec(t);
  if (!m) return undefined;
  const [, family, major, minor] = m;
  if (family === 'ssl') {
    if (major === '2' && (minor === undefined || minor === '0')) return 'SSLv2';
    if (major === '3' && (minor === undefined || minor === '0')) return 'SSLv3';
    return undefined;
  }
  if (major !== '1') return undefined;
  const v = `TLSv1.${minor ?? '0'}`;
  return isProtocolVersion(v) ? v : undefined;
}

export function protocolFromWire(wire: number): ProtocolVersion | undefined {
  for (const v of PROTOCOL_VERSIONS) if (PROTOCOL_WIRE_VERSIONS[v] === wire) return v;
  return undefined;
}
