/**
 * A minimal reading of nmap's ssl-enum-ciphers XML for comparing with the probe: per port, the protocols,
 * their suites as IANA codes (nmap's names resolved through the registry) and the cipher preference.
 */
import { XMLParser } from 'fast-xml-parser';
import { suiteByName } from '../../../src/registry/index.js';

export interface NmapProtocol {
  version: string;
  codes: number[];
  preference?: string;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

type Node = { '@_key'?: string; '#text'?: string; table?: Node | Node[]; elem?: Node | Node[] } & Record<string, unknown>;

export function nmapSslEnumByPort(xml: string): Map<number, NmapProtocol[]> {
  const doc = new XMLParser({ ignoreAttributes: false, textNodeName: '#text', parseTagValue: false }).parse(xml) as Record<string, any>;
  const out = new Map<number, NmapProtocol[]>();
  for (const host of asArray(doc.nmaprun?.host)) {
    for (const port of asArray(host.ports?.port)) {
      const script = asArray<Node>(port.script).find((s) => s['@_id'] === 'ssl-enum-ciphers');
      const protocols: NmapProtocol[] = [];
      for (const t of asArray(script?.table)) {
        const version = t['@_key'];
        if (!version || !/^(SSL|TLS)v/.test(version)) continue;
        const ciphers = asArray(t.table).find((x) => x['@_key'] === 'ciphers');
        const codes = asArray(ciphers?.table).map((c) => {
          const name = asArray(c.elem).find((e) => e['@_key'] === 'name')?.['#text'] ?? '';
          const suite = suiteByName(name);
          if (!suite) throw new Error(`nmap named a suite the registry does not know: ${name}`);
          return suite.code;
        });
        const preference = asArray(t.elem).find((e) => e['@_key'] === 'cipher preference')?.['#text'];
        protocols.push({ version: version === 'TLSv1.0' ? 'TLSv1.0' : version, codes, ...(preference && { preference }) });
      }
      out.set(Number(port['@_portid']), protocols);
    }
  }
  return out;
}
