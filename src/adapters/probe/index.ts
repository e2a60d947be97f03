export { probe, probeMany, probeWithStats, createHostLimiter, PROBE_PROTOCOLS, type ProbeOptions, type ProbeResult, type HostLimiter } from './probe.js';
export type { ProbeStats } from './probe-session.js';
export { parseTarget, formatTarget, DEFAULT_PORT, type ProbeTarget } from './target.js';
export { STARTTLS_PROTOCOLS, STARTTLS_PORTS, isStartTlsProtocol, type StartTlsProtocol } from './starttls.js';
export { candidateSuites } from './candidates.js';
export { bundledTrustStore, loadTrustStore, validateChain, type TrustStore } from './validate-chain.js';
