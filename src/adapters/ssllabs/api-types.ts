/**
 * The SSL Labs API's response objects, as far as tlsaudit reads them (API v3 and v4 share these shapes;
 * see ssllabs-api-docs-v3.md and ssllabs-api-docs-v4.md in github.com/ssllabs/ssllabs-scan).
 * Every field is optional because the API omits fields freely (e.g. `q` when a suite is good, `kxType` on
 * static-RSA suites, `details` unless `all` is set).
 */

export const ASSESSMENT_STATUSES = ['DNS', 'IN_PROGRESS', 'READY', 'ERROR'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export interface SslLabsInfo {
  engineVersion?: string;
  criteriaVersion?: string;
  /** Concurrent assessments this client may run. */
  maxAssessments?: number;
  /** Assessments this client (this email in v4) is running now. */
  currentAssessments?: number;
  /** Milliseconds to wait after starting an assessment before starting another. */
  newAssessmentCoolOff?: number;
  /** Public and "[Private]" messages for the client's user. */
  messages?: string[];
}

export interface SslLabsHost {
  host?: string;
  port?: number;
  protocol?: string;
  isPublic?: boolean;
  status?: AssessmentStatus | string;
  statusMessage?: string;
  /** Milliseconds since 1970. */
  startTime?: number;
  testTime?: number;
  engineVersion?: string;
  criteriaVersion?: string;
  cacheExpiryTime?: number;
  certHostnames?: string[];
  endpoints?: SslLabsEndpoint[];
  /** v3+: the certificates, referenced by id from EndpointDetails.certChains. */
  certs?: SslLabsCert[];
}

export interface SslLabsEndpoint {
  ipAddress?: string;
  serverName?: string;
  /** "Ready" when this endpoint's assessment succeeded. */
  statusMessage?: string;
  statusDetails?: string;
  statusDetailsMessage?: string;
  grade?: string;
  gradeTrustIgnored?: string;
  futureGrade?: string | null;
  hasWarnings?: boolean;
  isExceptional?: boolean;
  /** 0..100, or -1 before the endpoint's test began. */
  progress?: number;
  duration?: number;
  /** Seconds until completion, -1 when unknown. */
  eta?: number;
  delegation?: number;
  details?: SslLabsEndpointDetails;
}

export interface SslLabsEndpointDetails {
  hostStartTime?: number;
  certChains?: SslLabsCertChain[];
  protocols?: SslLabsProtocol[];
  /** One entry per protocol. (API v2 had a single object here; tolerated.) */
  suites?: SslLabsProtocolSuites[] | SslLabsProtocolSuites;
  /** Suites seen only without SNI: one ProtocolSuites object, not an array (a documented quirk). */
  noSniSuites?: SslLabsProtocolSuites | SslLabsProtocolSuites[] | null;
  namedGroups?: { list?: { id?: number; name?: string; bits?: number }[]; preference?: boolean };
  /** The server stapled an OCSP response. */
  ocspStapling?: boolean;
  [key: string]: unknown;
}

export interface SslLabsProtocol {
  /** Wire version: 2 (SSLv2), 768 (SSLv3), 769..772 (TLS 1.0..1.3). */
  id?: number;
  name?: string;
  version?: string;
  v2SuitesDisabled?: boolean;
  /** 0 when SSL Labs considers the protocol insecure. */
  q?: number | null;
}

export interface SslLabsProtocolSuites {
  protocol?: number;
  list?: SslLabsSuite[];
  /** true: the server chooses; false: the client does; null: undetermined. */
  preference?: boolean | null;
  chaCha20Preference?: boolean | null;
}

export interface SslLabsSuite {
  id?: number;
  name?: string;
  cipherStrength?: number;
  /** "ECDH", "DH", "RSA"...; absent on static-RSA suites. */
  kxType?: string;
  /** RSA-equivalent bits. */
  kxStrength?: number;
  /** A byte length despite its name (dhBits 128 goes with kxStrength 1024). */
  dhBits?: number;
  dhP?: number;
  dhG?: number;
  dhYs?: number;
  namedGroupBits?: number;
  namedGroupId?: number;
  namedGroupName?: string;
  /** API v2: the ECDH curve size, and its RSA-equivalent strength (v3 has namedGroupBits, kxStrength). */
  ecdhBits?: number;
  ecdhStrength?: number;
  /** API v2: the DH group size in bits. */
  dhStrength?: number;
  /** Absent = good, 1 = weak, 0 = insecure. */
  q?: number;
}

export interface SslLabsCertChain {
  id?: string;
  /** The certificates as the server sent them, leaf first. */
  certIds?: string[];
  trustPaths?: SslLabsTrustPath[];
  /** Bits: 1 unused, 2 incomplete chain, 4 unrelated or duplicate certificates, 8 wrong order, 16 self-signed root sent, 32 could not validate. */
  issues?: number;
  noSni?: boolean;
}

export interface SslLabsTrustPath {
  certIds?: string[];
  trust?: { rootStore?: string; isTrusted?: boolean; trustErrorMessage?: string }[];
  isPinned?: boolean;
}

export interface SslLabsCert {
  id?: string;
  subject?: string;
  commonNames?: string[];
  altNames?: string[];
  notBefore?: number;
  notAfter?: number;
  issuerSubject?: string;
  serialNumber?: string;
  sigAlg?: string;
  /**
   * Bits: 1 no chain of trust, 2 not yet valid, 4 expired, 8 hostname mismatch, 16 revoked, 32 bad common
   * name, 64 self-signed, 128 blacklisted, 256 insecure signature, 512 insecure key.
   */
  issues?: number;
  /** 0 not checked, 1 revoked, 2 not revoked, 3 check error, 4 no revocation information, 5 internal error. */
  revocationStatus?: number;
  keyAlg?: string;
  keySize?: number;
  sha256Hash?: string;
}

export interface SslLabsRegistration {
  firstName: string;
  lastName: string;
  email: string;
  organization: string;
}

export interface SslLabsRegisterResponse {
  message?: string;
  status?: string;
}

/** Body of a 400 (and some other) responses: `{"errors":[{"field":"host","message":"qp.mandatory"}]}`. */
export interface SslLabsErrorBody {
  errors?: { field?: string; message?: string }[];
}
