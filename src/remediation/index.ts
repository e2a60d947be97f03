export * from './advice.js';
export * from './plan-remediation.js';
export * from './remediate.js';
export * from './format-advice.js';
export {
  DEFAULT_WINDOWS_VERSION,
  LEGACY_CURVE_SUFFIXES,
  SCHANNEL_CURVE_NAMES,
  SCHANNEL_PROTOCOL_KEYS,
  WINDOWS_SCHANNEL_VERSIONS,
  WINDOWS_VERSION_IDS,
  schannelNamesOn,
  windowsVersion,
  type WindowsSchannelSuite,
  type WindowsSchannelVersion,
} from './data/windows-schannel.js';
export { schannelName, schannelNames, type WindowsAdviceOptions } from './servers/windows.js';
export * from './report-advice.js';
export * from './explain-target.js';
