export * from './advice.js';
export * from './plan-remediation.js';
export * from './remediate.js';
export * from './format-advice.js';
export { SCHANNEL_SUITES, SCHANNEL_PROTOCOL_KEYS, SCHANNEL_CURVE_NAMES, LEGACY_CURVE_SUFFIXES } from './data/windows-schannel.js';
export { schannelName } from './servers/windows.js';
export * from './report-advice.js';
export * from './explain-target.js';
