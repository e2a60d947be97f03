import { parseProtocolVersion } from '../../model/protocol-version.js';

/**
 * nmap's script output tables: <table key=K> and <elem key=K> children, some keyless (lists). The same
 * shape is built from the script's text when it wrote no tables.
 */
export interface ScriptTable {
  tables: Map<string, ScriptTable>;
  list: ScriptTable[];
  elems: Map<string, string>;
  values: string[];
}

export function emptyScriptTable(): ScriptTable {
  return { tables: new Map(), list: [], elems: new Map(), values: [] };
}

type Section = 'ciphers' | 'compressors' | 'warnings' | undefined;

// "ciphers:" (6.25 on, beside the tables), "Ciphers (6)" (6.00-6.02, text only); the same for the others.
const SECTION = /^(ciphers|compressors|warnings)\s*(?:\(\d+\))?\s*:?$/i;
// "least strength: A" (6.25 on) or "Least strength = strong" (6.00-6.02).
const LEAST = /^least strength\s*[:=]\s*(.+)$/i;
const PREFERENCE = /^cipher preference\s*:\s*(\S+)$/i;
// "TLS_RSA_WITH_AES_128_CBC_SHA (rsa 2048) - A", "TLS_RSA_WITH_RC4_128_MD5 - strong", a bare name.
const SUITE = /^(\S+)(?:\s+\(([^)]*)\))?(?:\s+-\s+(.+))?$/;

/**
 * Reads the text ssl-enum-ciphers writes as its `output`, for the nmap versions that wrote nothing else
 * (before 6.25, NSE had no structured output): protocols, their suites with strength (a word then,
 * "strong", "weak", "unknown strength"; a letter later) and key exchange, compressors, cipher preference,
 * warnings, and the least strength. Lines that fit none of these (a protocol "No supported ciphers found",
 * a preference error) are passed over.
 */
export function readSslEnumCiphersText(text: string): ScriptTable {
  const top = emptyScriptTable();
  let protocol: ScriptTable | undefined;
  let section: Section;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const least = LEAST.exec(line);
    if (least) {
      top.elems.set('least strength', least[1]!.trim());
      protocol = undefined;
      continue;
    }
    // "TLSv1.2:" or "TLSv1.0" opens a protocol; "SSLv3: No supported ciphers found" says it is not offered.
    const heading = /^(\S+?)(?:\s*:\s*(.*))?$/.exec(line);
    if (heading && parseProtocolVersion(heading[1]!)) {
      protocol = heading[2] ? undefined : emptyScriptTable();
      if (protocol) top.tables.set(heading[1]!, protocol);
      section = undefined;
      continue;
    }
    if (protocol === undefined) continue;
    const sectionMatch = SECTION.exec(line);
    if (sectionMatch) {
      section = sectionMatch[1]!.toLowerCase() as Section;
      continue;
    }
    const preference = PREFERENCE.exec(line);
    if (preference) {
      protocol.elems.set('cipher preference', preference[1]!);
      section = undefined;
      continue;
    }
    if (section === 'ciphers') {
      const suite = SUITE.exec(line);
      if (!suite) continue;
      const entry = emptyScriptTable();
      entry.elems.set('name', suite[1]!);
      if (suite[2]) entry.elems.set('kex_info', suite[2]);
      if (suite[3]) entry.elems.set('strength', suite[3].trim());
      tableOf(protocol, 'ciphers').list.push(entry);
    } else if (section === 'compressors' || section === 'warnings') {
      tableOf(protocol, section).values.push(line);
    }
  }
  return top;
}

function tableOf(parent: ScriptTable, key: string): ScriptTable {
  let table = parent.tables.get(key);
  if (!table) parent.tables.set(key, (table = emptyScriptTable()));
  return table;
}
