import type { ImportResult } from '../observation-builder.js';
import { normaliseTestsslScan } from './normalise-testssl.js';
import { readTestsslCsv, readTestsslJson, type TestsslScan } from './testssl-records.js';

function normaliseAll(scans: readonly TestsslScan[], origin: string): ImportResult {
  const result: ImportResult = { observations: [], notices: [] };
  for (const scan of scans) {
    const one = normaliseTestsslScan(scan, origin);
    result.observations.push(...one.observations);
    result.notices.push(...one.notices);
  }
  if (scans.length === 0) result.notices.push(`${origin}: testssl.sh reported no host:port (nothing was scanned).`);
  return result;
}

/** testssl.sh --jsonfile or --jsonfile-pretty output into observations, one per host:port. */
export function importTestsslJson(text: string, origin: string): ImportResult {
  return normaliseAll(readTestsslJson(text, origin), origin);
}

/** testssl.sh --csvfile output into observations, one per host:port. */
export function importTestsslCsv(text: string, origin: string): ImportResult {
  return normaliseAll(readTestsslCsv(text, origin), origin);
}
