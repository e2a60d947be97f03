import { InputError } from '../../errors.js';
import { NMAP_HOW_TO } from './nmap-how-to.js';
import type { SkippedPort } from '../../model/report.js';
import type { TargetObservation } from '../../model/target.js';
import { NmapXmlSplitter, type NmapRunInfo } from './nmap-xml-splitter.js';
import { parseNmapHost, type NmapHostContext, type NmapHostResult } from './parse-nmap-host.js';

/** What reading one nmap document found, beyond the observations themselves. */
export interface NmapReadSummary {
  /** File name or "stdin". */
  origin: string;
  /** Complete <host> elements read. */
  hosts: number;
  /** Observations produced (one per open TCP port of those hosts). */
  targets: number;
  /** Ports that carried an ssl-enum-ciphers result. */
  tlsPorts: number;
  /** Open ports nmap never treated as TLS, in document order: listed in the report, not judged. */
  skipped: SkippedPort[];
  /** </nmaprun> was seen: nmap finished writing the document. */
  complete: boolean;
  /** Any ssl-enum-ciphers result at all. */
  sawSslEnumCiphers: boolean;
  /** nmap's version, command line, scan start, and its own error message if it gave up. */
  nmap: NmapRunInfo;
  /** Problems worth telling the user that did not stop the reading (cut-off input, unknown suites). */
  notices: string[];
}

export function emptyNmapReadSummary(origin: string): NmapReadSummary {
  return { origin, hosts: 0, targets: 0, tlsPorts: 0, skipped: [], complete: false, sawSslEnumCiphers: false, nmap: {}, notices: [] };
}

export { NMAP_HOW_TO };

/**
 * The synchronous core shared by the streaming and the eager reader: text in, observations out.
 * Observations of ports without a TLS result are held back until the document shows at least one
 * ssl-enum-ciphers result, so a scan made without the script is rejected as a whole (one clear error)
 * instead of becoming a report of errors.
 */
export class NmapDocumentReader {
  readonly summary: NmapReadSummary;
  private readonly splitter: NmapXmlSplitter;
  private held: TargetObservation[] = [];
  private failure: { error: unknown } | undefined;

  constructor(origin: string, summary?: NmapReadSummary) {
    this.summary = summary ?? emptyNmapReadSummary(origin);
    this.summary.origin = origin;
    this.splitter = new NmapXmlSplitter(origin);
  }

  /**
   * Feeds text and parses the hosts it completes, here on this thread. A host that cannot be read (a bad
   * port, malformed XML) ends the reading, but only after the hosts before it: they are returned now and
   * the error is thrown by the next call to push or end.
   */
  push(text: string): TargetObservation[] {
    if (this.failure) throw this.failure.error;
    // The context after splitting: the text may hold <nmaprun start=...> as well as the first hosts.
    const hosts = this.splitHosts(text);
    const context = this.hostContext();
    const results: NmapHostResult[] = [];
    for (const xml of hosts) {
      try {
        results.push(parseNmapHost(xml, context));
      } catch (error) {
        this.failure = { error };
        break;
      }
    }
    return this.acceptHosts(results);
  }

  /** Feeds text; returns the <host> elements it completes, for parsing here or elsewhere. */
  splitHosts(text: string): string[] {
    const hosts: string[] = [];
    for (const event of this.splitter.push(text)) if (event.kind === 'host') hosts.push(event.xml);
    this.summary.nmap = { ...this.splitter.info };
    return hosts;
  }

  /** What parseNmapHost needs to know about the document. */
  hostContext(): NmapHostContext {
    const startedAt = this.splitter.info.startedAt;
    return { origin: this.summary.origin, ...(startedAt && { runStartedAt: startedAt }) };
  }

  /** Takes parsed hosts in document order; returns the observations that may be handed out now. */
  acceptHosts(results: readonly NmapHostResult[]): TargetObservation[] {
    const out: TargetObservation[] = [];
    for (const parsed of results) {
      this.summary.hosts++;
      this.summary.notices.push(...parsed.notices);
      for (const s of parsed.skipped) this.summary.skipped.push(s);
      if (parsed.tlsPorts > 0) {
        this.summary.tlsPorts += parsed.tlsPorts;
        if (!this.summary.sawSslEnumCiphers) {
          this.summary.sawSslEnumCiphers = true;
          out.push(...this.held);
          this.held = [];
        }
      }
      if (this.summary.sawSslEnumCiphers) out.push(...parsed.observations);
      else this.held.push(...parsed.observations);
    }
    this.summary.targets += out.length;
    return out;
  }

  /**
   * Ends the input and returns what was held back, if anything may still be handed out. Throws
   * InputError for input that holds nothing to assess.
   */
  end(): TargetObservation[] {
    if (this.failure) throw this.failure.error;
    const s = this.summary;
    this.splitter.finish();
    s.complete = this.splitter.complete;
    s.nmap = { ...this.splitter.info };
    if (this.splitter.declaresEntities) {
      s.notices.push(`${s.origin} declares entities in its DOCTYPE; they were not expanded (nmap never writes any).`);
    }
    let released: TargetObservation[] = [];
    if (!s.sawSslEnumCiphers && s.skipped.length > 0 && s.nmap.errorMessage === undefined && requestsSslEnumCiphers(s.nmap.args)) {
      // nmap was asked for the script and found no port to run it on with a result: a host (or sweep)
      // with no TLS service is a report of skipped ports, and any TLS port without a result an error.
      released = this.held;
      this.held = [];
      s.targets += released.length;
    } else if (!s.sawSslEnumCiphers) {
      this.held = [];
      if (s.nmap.errorMessage) throw new InputError(`${s.origin}: nmap stopped with an error and assessed nothing: ${s.nmap.errorMessage}`);
      const cut = s.complete ? '' : ' (and it is cut off)';
      const hosts = s.hosts === 1 ? '1 host' : `${s.hosts} hosts`;
      throw new InputError(
        `${s.origin} has no ssl-enum-ciphers results (${hosts} scanned${cut}); run nmap with the script, e.g. ${NMAP_HOW_TO}`,
      );
    }
    if (!s.complete) {
      const partial = this.splitter.inHost ? '; the host it was writing is left out' : '';
      s.notices.push(`${s.origin} is incomplete: it ends before </nmaprun> (was nmap interrupted?); ${s.hosts} complete host(s) read${partial}.`);
    }
    return released;
  }
}

/**
 * Whether nmap's command line asked for ssl-enum-ciphers: by name (with or without "+"), by a wildcard
 * that matches it ("ssl*"), or by one of its categories (discovery, intrusive) or "all".
 */
export function requestsSslEnumCiphers(args: string | undefined): boolean {
  if (args === undefined) return false;
  const specs = [...args.matchAll(/--script[= ]\s*("[^"]*"|'[^']*'|\S*)/g)].flatMap((m) => m[1]!.replace(/^["']|["']$/g, '').split(','));
  return specs.some((raw) => {
    const spec = raw.trim().replace(/^\+/, '').replace(/\.nse$/, '').replace(/^.*\//, '');
    if (['discovery', 'intrusive', 'all'].includes(spec)) return true;
    if (!spec.includes('*') && !spec.includes('?')) return spec === 'ssl-enum-ciphers';
    const glob = new RegExp(`^${spec.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return glob.test('ssl-enum-ciphers');
  });
}
