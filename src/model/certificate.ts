import type { Provenance } from './source.js';

/**
 * One X.509 certificate as a server sent it. Every property is optional: each source reports what it
 * has (the probe everything, SSL Labs most, an imported file sometimes only the leaf's dates).
 */
export interface CertificateDetails {
  /** Distinguished name, RDNs joined by ", " ("C=US, O=Example, CN=www.example.org"). */
  subject?: string;
  /** Subject alternative names as "DNS:www.example.org", "IP Address:192.0.2.1". */
  subjectAltNames?: string[];
  issuer?: string;
  /** Upper-case hex, no separators. */
  serialNumber?: string;
  /** ISO 8601. */
  notBefore?: string;
  /** ISO 8601. */
  notAfter?: string;
  /** "RSA", "EC", "ED25519", ... (normalised by the policy's normaliseKeyType). */
  keyType?: string;
  keyBits?: number;
  /** Named curve for EC keys ("prime256v1", "secp384r1"). */
  curve?: string;
  /** The signature on this certificate as the source names it ("sha256WithRSAEncryption", "SHA256withRSA"). */
  signatureAlgorithm?: string;
  /** SHA-256 of the DER, upper-case hex with colons ("AB:CD:..."). */
  fingerprintSha256?: string;
  /** Subject and issuer are the same and the certificate verifies with its own key. */
  selfSigned?: boolean;
}

/** The signature families a client can offer alone to make a dual-certificate server show each certificate. */
export const CERTIFICATE_KEY_FAMILIES = ['rsa', 'ecdsa'] as const;
export type CertificateKeyFamily = (typeof CERTIFICATE_KEY_FAMILIES)[number];

/**
 * What a source concluded about one chain. Every fact is optional: undefined means the source could
 * not tell, which a policy reports as unknown and never as a violation.
 */
export interface CertificateValidation {
  /**
   * The time the dates were judged at (ISO 8601): the probe's handshake, the SSL Labs assessment's
   * testTime, the imported scan's time. Reports judge each observation as of when it was made.
   */
  checkedAt?: string;
  /** The chain leads to a root of `trustStore`. */
  trusted?: boolean;
  /** Which store: "node" (Node's bundled Mozilla roots), "ca-file:<path>", "Mozilla", "Apple", ... */
  trustStore?: string;
  /** Why the chain is not trusted, as the validator said it ("self-signed certificate", "unable to get local issuer certificate"). */
  trustError?: string;
  /** The name the certificate was checked against (RFC 6125). */
  hostnameChecked?: string;
  hostnameMatches?: boolean;
  /** Every certificate between the leaf and a trust anchor was sent. */
  chainComplete?: boolean;
  /** Each certificate is followed by its issuer (RFC 8446 section 4.4.2 allows otherwise in TLS 1.3, but clients still trip on it). */
  chainInOrder?: boolean;
  /** The leaf at `checkedAt`: notAfter has passed. */
  expired?: boolean;
  /** The leaf at `checkedAt`: notBefore is still to come. */
  notYetValid?: boolean;
  /** Whole days from `checkedAt` to the leaf's notAfter, rounded down; negative once expired. */
  daysLeft?: number;
  /** The server stapled an OCSP response (status_request). */
  ocspStapled?: boolean;
  /** A source checked revocation and found the leaf revoked. */
  revoked?: boolean;
}

/**
 * One certificate chain one source saw on a target, with what it concluded about it. A target may have
 * several: one per SNI name, one per key family on a dual RSA + ECDSA server, one per source.
 */
export interface CertificateObservation extends Provenance, CertificateValidation {
  /** The SNI name sent to get this chain; absent when none was sent. */
  serverName?: string;
  /** Set when only this signature family was offered to get this chain. */
  keyFamily?: CertificateKeyFamily;
  /** The chain as sent, leaf first; a source that saw only the leaf gives one entry. */
  chain: CertificateDetails[];
}
