export type { CipherSuite, Recommended, SuiteDecomposition } from './cipher-suite.js';
export { CIPHER_SUITES, OPENSSL_MANUAL_NAMES_FROM, OPENSSL_NAMES_FROM, findSuite, formatCode, parseSuiteCode, suiteByCode, suiteByName } from './cipher-suites.js';
export { decomposeSuiteName } from './decompose-suite-name.js';
export type { GroupKind, NamedGroup } from './named-group.js';
export { GROUP_KINDS } from './named-group.js';
export { GROUP_ALIASES, NAMED_GROUPS, groupById, groupByName } from './groups.js';
export { isGreaseCode } from './grease.js';
export type { SslV2CipherSpec } from './sslv2-cipher-specs.js';
export { SSLV2_CIPHER_SPECS, formatSslV2Code, sslv2SpecByCode, sslv2SpecByName } from './sslv2-cipher-specs.js';
