import type { ProtocolVersion } from '../../model/protocol-version.js';
import { formatCode, suiteByCode } from '../../registry/index.js';
import { versionName, type HelloResult } from './judge-answer.js';

/** One ClientHello and what came of it, for -v. */
export interface HelloEvent {
  version: ProtocolVersion;
  /** How many suites the hello offered. */
  offered: number;
  result: HelloResult;
}

const suite = (code: number): string => `${suiteByCode(code)?.name ?? 'unknown suite'} (${formatCode(code)})`;

/** "TLSv1.2 hello, 127 suites: accepted TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)" */
export function describeHello({ version, offered, result }: HelloEvent): string {
  const head = `${version} hello, ${offered} ${offered === 1 ? 'suite' : 'suites'}: `;
  switch (result.kind) {
    case 'accepted':
      return `${head}accepted ${suite(result.suite)}${result.helloRetryRequest ? ' after a HelloRetryRequest' : ''}${result.flightComplete === false ? ', then went quiet' : ''}`;
    case 'downgraded':
      return `${head}answered with ${versionName(result.version)} instead (${suite(result.suite)})`;
    case 'refused':
      return `${head}refused with alert ${result.alert}`;
    case 'silent':
      return `${head}no TLS answer: ${result.reason}`;
    case 'failed':
      return `${head}failed: ${result.reason}${result.timeout ? ' (timeout)' : ''}`;
  }
}
