import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import * as ecc from '@peculiar/asn1-ecc';
import * as rsa from '@peculiar/asn1-rsa';

/**
 * OpenSSL-style names for the signature OIDs, taken from the ASN.1 schema packages' exports
 * (id_sha256WithRSAEncryption -> "sha256WithRSAEncryption") so that no OID is typed here.
 */
const NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const mod of [rsa, ecc] as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(mod)) {
      if (typeof value !== 'string' || !key.startsWith('id_') || !/With/.test(key)) continue;
      // id_ssha224WithRSAEncryption is a misspelt alias of id_sha224WithRSAEncryption in the package.
      if (!names.has(value)) names.set(value, key.slice(3));
    }
  }
  names.set(rsa.id_RSASSA_PSS, 'RSASSA-PSS');
  // RFC 8410 section 3: id-Ed25519 and id-Ed448, which neither schema package exports.
  names.set('1.3.101.112', 'ED25519');
  names.set('1.3.101.113', 'ED448');
  return names;
})();

const HASH_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(rsa as Record<string, unknown>)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && /^id_(sha\d|md\d)/.test(e[0]) && !/With/.test(e[0]))
    .map(([k, v]) => [v, k.slice(3).replace(/_/g, '-')]),
);

/**
 * The algorithm that signed a certificate, from its outer signatureAlgorithm field (RFC 5280 section
 * 4.1.1.2). RSASSA-PSS names its hash from the parameters ("RSASSA-PSS sha256"). Undefined when the DER
 * does not parse.
 */
export function signatureAlgorithmOf(der: Uint8Array): string | undefined {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    return undefined;
  }
  const alg = cert.signatureAlgorithm;
  const name = NAMES.get(alg.algorithm) ?? alg.algorithm;
  if (alg.algorithm === rsa.id_RSASSA_PSS && alg.parameters) {
    try {
      const params = AsnConvert.parse(alg.parameters, rsa.RsaSaPssParams);
      return `${name} ${HASH_NAMES.get(params.hashAlgorithm.algorithm) ?? params.hashAlgorithm.algorithm}`;
    } catch {
      return name;
    }
  }
  return name;
}
