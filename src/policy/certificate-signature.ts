/**
 * The hash of a certificate signature, from any source's spelling: OpenSSL "sha256WithRSAEncryption" and
 * "ecdsa-with-SHA1", Java/sslyze "SHA256withRSA", "RSASSA-PSS sha256". Undefined for algorithms without a
 * separate hash (Ed25519) or names not recognised.
 */
export function signatureHash(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return /(sha512|sha384|sha256|sha224|sha1|md5|md4|md2)/.exec(compact)?.[1];
}

/** Whether a rule's entry ("sha1", "md5", "sha1WithRSAEncryption") names this signature algorithm. */
export function signatureMatches(entry: string, algorithm: string): boolean {
  const compact = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (compact(entry) === compact(algorithm)) return true;
  const hash = signatureHash(algorithm);
  return hash !== undefined && compact(entry) === hash;
}
