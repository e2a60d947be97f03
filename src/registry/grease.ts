/**
 * GREASE values (RFC 8701 §2): 0x0A0A, 0x1A1A, …, 0xFAFA. IANA reserves them in the cipher
 * suite, group, extension and version registries; clients send them to keep servers tolerant,
 * so a scanner that sees one must skip it rather than report an unknown suite or group.
 */
export function isGreaseCode(code: number): boolean {
  return (code & 0x0f0f) === 0x0a0a && code >> 8 === (code & 0xff);
}
