import type { TargetObservation } from '../../model/target.js';
import { NmapDocumentReader, type NmapReadSummary } from './nmap-document-reader.js';

export interface NmapParseResult {
  observations: TargetObservation[];
  summary: NmapReadSummary;
}

/**
 * The whole of an nmap -oX document at once, for text already in memory. Same rules and errors as
 * `readNmapXml`; prefer that one for files and pipes.
 */
export function parseNmapXml(xml: string, origin = 'input'): NmapParseResult {
  const reader = new NmapDocumentReader(origin);
  const observations = reader.push(xml);
  observations.push(...reader.end());
  return { observations, summary: reader.summary };
}
