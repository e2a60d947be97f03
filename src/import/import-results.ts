import { importTestsslCsv, importTestsslJson } from '../adapters/testssl/index.js';
import { importSslscanXml } from '../adapters/sslscan/index.js';
import { importSslyzeJson } from '../adapters/sslyze/index.js';
import { importSslLabsJson } from '../adapters/ssllabs/import-ssllabs-json.js';
import { readNmapXml, readNmapXmlFile } from '../adapters/nmap/read-nmap-xml.js';
import { emptyNmapReadSummary } from '../adapters/nmap/nmap-document-reader.js';
import { InputError, inlineErrorMessage } from '../errors.js';
import type { TargetObservation } from '../model/target.js';
import { toObservation } from '../report/merge-reports.js';
import { validateReport } from '../report/read-report.js';
import { KIND_NAMES, detectJsonKind, detectTextKind, type FromKind, type ImportKind } from './detect-kind.js';

/** One input: its text and the name errors and provenance give it (a file name or "stdin"). */
export interface ImportInput {
  text: string;
  origin: string;
}

export interface ImportedFile {
  kind: ImportKind;
  observations: TargetObservation[];
  /** Problems that did not stop the reading: suites that could not be placed, hosts skipped, a cut-off nmap run. */
  notices: string[];
  /** The input ended early (an nmap run cut off): what it holds is reported, but the run is incomplete. */
  incomplete?: boolean;
}

const TRIED = Object.values(KIND_NAMES).join(', ');

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${origin} is not JSON: ${inlineErrorMessage(error)}.`, error);
  }
}

/** The kind of one input: forced by --from, else told from its content; a one-line error naming what was tried. */
export function detectKind(input: ImportInput, from?: FromKind): ImportKind {
  if (from === 'tlsaudit') return 'report';
  if (from !== undefined && from !== 'testssl') return from;
  const textKind = detectTextKind(input.text.slice(0, 65536));
  if (from === 'testssl') return textKind === 'testssl-csv' ? 'testssl-csv' : 'testssl-json';
  if (textKind === 'json') {
    const kind = detectJsonKind(parseJson(input.text, input.origin));
    if (kind) return kind;
  } else if (textKind) {
    return textKind;
  }
  if (input.text.trim() === '') throw new InputError(`${input.origin} is empty (tried ${TRIED}).`);
  throw new InputError(`${input.origin} is none of the kinds tlsaudit imports (tried ${TRIED}); give --from KIND if it is one of them.`);
}

/** Reads one input of a known kind into observations. Pure apart from nmap's reader, which it feeds the text. */
export async function importOne(input: ImportInput, kind: ImportKind): Promise<ImportedFile> {
  const { text, origin } = input;
  switch (kind) {
    case 'nmap': {
      const summary = emptyNmapReadSummary(origin);
      const observations: TargetObservation[] = [];
      for await (const o of readNmapXml([text], origin, summary)) observations.push(o);
      return { kind, observations, notices: [...summary.notices], ...(!summary.complete && { incomplete: true }) };
    }
    case 'ssllabs':
      return { kind, observations: importSslLabsJson(text, origin), notices: [] };
    case 'testssl-json':
      return { kind, ...importTestsslJson(text, origin) };
    case 'testssl-csv':
      return { kind, ...importTestsslCsv(text, origin) };
    case 'sslyze':
      return { kind, ...importSslyzeJson(text, origin) };
    case 'sslscan':
      return { kind, ...importSslscanXml(text, origin) };
    case 'report': {
      const report = validateReport(parseJson(text, origin), origin);
      return { kind, observations: report.targets.map(toObservation), notices: [...(report.notices ?? [])] };
    }
  }
}

/**
 * An nmap file read as a stream (host by host, with worker threads for a large one), as `tlsaudit nmap`
 * reads it: a sweep's XML can exceed what one string may hold.
 */
export async function importNmapFile(path: string): Promise<ImportedFile> {
  const summary = emptyNmapReadSummary(path);
  const observations: TargetObservation[] = [];
  for await (const o of readNmapXmlFile(path, summary)) observations.push(o);
  return { kind: 'nmap', observations, notices: [...summary.notices], ...(!summary.complete && { incomplete: true }) };
}
