import { InputError } from '../../errors.js';

/** What the document says about the run, from <nmaprun ...> and <runstats><finished .../>. */
export interface NmapRunInfo {
  /** nmap's version attribute ("7.93"). */
  version?: string;
  /** The command line nmap ran with. */
  args?: string;
  /** ISO 8601 time of the scan start (the `start` attribute, seconds since the epoch). */
  startedAt?: string;
  /** `<finished exit="error" errormsg="...">`: nmap itself gave up. */
  errorMessage?: string;
}

export type SplitterEvent = { kind: 'host'; xml: string } | { kind: 'end' };

/** No single <host> element of a real scan comes near this; beyond it the input is not a scan. */
export const MAX_HOST_BYTES = 64 * 1024 * 1024;

const enum State {
  Prolog,
  Body,
  Done,
}

/**
 * Cuts an nmap XML document into its <host>...</host> elements as the text arrives, so each host can be
 * parsed on its own and memory stays bounded by the largest host, not the document. Only the outline is
 * read here: comments, processing instructions and the DOCTYPE (including any internal subset, whose
 * entity declarations are never expanded) are skipped; <nmaprun> and <finished> attributes are kept.
 * A raw "<" cannot occur inside attribute values or text in well-formed XML, so "</host>" after a
 * host's start tag, outside CDATA sections, is its end tag (hosts do not nest).
 */
export class NmapXmlSplitter {
  readonly info: NmapRunInfo = {};
  /** Complete <host> elements handed out so far. */
  hosts = 0;
  /** The DOCTYPE declared entities (which are left unexpanded). */
  declaresEntities = false;
  private buf = '';
  private pos = 0;
  private state = State.Prolog;
  /** Where the current unfinished host started, and how far its end tag has been searched for. */
  private hostStart = -1;
  private searchFrom = 0;
  private sawNonSpace = false;

  constructor(private readonly origin: string) {}

  get complete(): boolean {
    return this.state === State.Done;
  }

  /** True once any non-blank text arrived. */
  get nonEmpty(): boolean {
    return this.sawNonSpace;
  }

  /** True while a <host> element has started but not ended. */
  get inHost(): boolean {
    return this.hostStart >= 0;
  }

  get sawRoot(): boolean {
    return this.state !== State.Prolog;
  }

  /**
   * Feeds text; returns the complete hosts found (and 'end' once </nmaprun> is read). Another document
   * after </nmaprun> (nmap run twice with its output appended to one file) is read the same way.
   */
  push(text: string): SplitterEvent[] {
    if (!this.sawNonSpace && /[^\s\uFEFF]/.test(text)) this.sawNonSpace = true;
    this.buf += text;
    const events: SplitterEvent[] = [];
    for (;;) {
      if (this.state === State.Done && !this.anotherDocument()) break;
      const progressed = this.state === State.Prolog ? this.prolog() : this.body(events);
      if (!progressed && this.state !== State.Done) break;
    }
    // Drop what has been consumed so the buffer holds at most one unfinished host plus one chunk.
    const keepFrom = this.hostStart >= 0 ? this.hostStart : this.pos;
    if (keepFrom > 65536 || keepFrom === this.buf.length) {
      this.buf = this.buf.slice(keepFrom);
      this.pos -= keepFrom;
      this.searchFrom -= keepFrom;
      if (this.hostStart >= 0) this.hostStart -= keepFrom;
    }
    if (this.hostStart >= 0 && this.buf.length - this.hostStart > MAX_HOST_BYTES) {
      throw new InputError(`${this.origin}: a <host> element is larger than ${MAX_HOST_BYTES / 1048576} MB; this is not nmap output.`);
    }
    return events;
  }

  /** Before <nmaprun>: XML declaration, comments, PIs, DOCTYPE. Returns false when it needs more text. */
  private prolog(): boolean {
    const b = this.buf;
    let i = this.pos;
    // A byte order mark (U+FEFF) is no part of the document: PowerShell and Notepad write one.
    while (i < b.length && (/\s/.test(b[i]!) || b[i] === '\uFEFF')) i++;
    if (i >= b.length) {
      this.pos = i;
      return false;
    }
    if (b[i] !== '<') throw this.notXml();
    if (b.length - i < 9) return false;
    if (b.startsWith('<?', i)) return this.skipTo('?>', i);
    if (b.startsWith('<!--', i)) return this.skipTo('-->', i);
    if (b.startsWith('<!DOCTYPE', i) || b.startsWith('<!doctype', i)) return this.skipDoctype(i);
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(b.slice(i, i + 64));
    if (!m) throw this.notXml();
    if (m[1] !== 'nmaprun') {
      throw new InputError(`${this.origin} is XML but not nmap output (its root element is <${m[1]}>, not <nmaprun>).`);
    }
    const end = b.indexOf('>', i);
    if (end < 0) return false;
    const attrs = readAttributes(b.slice(i, end));
    if (attrs.version) this.info.version = attrs.version;
    if (attrs.args) this.info.args = attrs.args;
    const start = Number(attrs.start);
    const startDate = new Date(start * 1000);
    // A start beyond Date's range (±8.64e15 ms) is no time at all; toISOString would throw.
    if (attrs.start && Number.isFinite(start) && start > 0 && !Number.isNaN(startDate.getTime())) this.info.startedAt = startDate.toISOString();
    this.pos = end + 1;
    this.state = State.Body;
    return true;
  }

  /**
   * After </nmaprun>: true when markup follows (a second document, as `nmap -oX FILE --append-output`
   * or `>>` leave), which is then read from its prolog. Anything else after the end is not read.
   */
  private anotherDocument(): boolean {
    const rest = this.buf.slice(this.pos);
    const next = rest.search(/[^\s\uFEFF]/);
    if (next < 0 || rest[next] !== '<') {
      this.buf = '';
      this.pos = 0;
      return false;
    }
    this.buf = rest.slice(next);
    this.pos = 0;
    this.state = State.Prolog;
    return true;
  }

  private skipTo(terminator: string, from: number): boolean {
    const end = this.buf.indexOf(terminator, from);
    if (end < 0) return false;
    this.pos = end + terminator.length;
    return true;
  }

  private skipDoctype(from: number): boolean {
    const b = this.buf;
    const bracket = b.indexOf('[', from);
    const close = b.indexOf('>', from);
    if (close < 0) return false;
    if (bracket >= 0 && bracket < close) {
      // An internal subset: skip to "]" then ">"; its declarations are never applied.
      const endSubset = b.indexOf(']', bracket);
      if (endSubset < 0) return false;
      const end = b.indexOf('>', endSubset);
      if (end < 0) return false;
      if (/<!ENTITY/i.test(b.slice(bracket, endSubset))) this.declaresEntities = true;
      this.pos = end + 1;
      return true;
    }
    this.pos = close + 1;
    return true;
  }

  /** Inside <nmaprun>: hands out hosts, skips everything else. */
  private body(events: SplitterEvent[]): boolean {
    const b = this.buf;
    if (this.hostStart >= 0) {
      const end = this.hostEnd();
      if (end < 0) return false;
      events.push({ kind: 'host', xml: b.slice(this.hostStart, end + 7) });
      this.hosts++;
      this.pos = end + 7;
      this.hostStart = -1;
      return true;
    }
    const lt = b.indexOf('<', this.pos);
    if (lt < 0) {
      this.pos = b.length;
      return false;
    }
    if (b.length - lt < 10) {
      this.pos = lt;
      return false;
    }
    if (b.startsWith('<!--', lt)) return this.skipTo('-->', lt) || ((this.pos = lt), false);
    if (b.startsWith('<?', lt)) return this.skipTo('?>', lt) || ((this.pos = lt), false);
    if (b.startsWith('<host', lt) && /[\s>/]/.test(b[lt + 5]!)) {
      this.hostStart = lt;
      this.searchFrom = lt;
      return true;
    }
    if (b.startsWith('</nmaprun', lt)) {
      this.state = State.Done;
      const gt = b.indexOf('>', lt);
      this.pos = gt < 0 ? lt + 9 : gt + 1;
      events.push({ kind: 'end' });
      return false;
    }
    if (b.startsWith('<finished', lt)) {
      const end = b.indexOf('>', lt);
      if (end < 0) {
        this.pos = lt;
        return false;
      }
      const attrs = readAttributes(b.slice(lt, end));
      if (attrs.exit === 'error' && attrs.errormsg) this.info.errorMessage = attrs.errormsg;
      this.pos = end + 1;
      return true;
    }
    this.pos = lt + 1;
    return true;
  }

  /**
   * Where the current host's end tag starts, or -1 until it has arrived. A CDATA section inside the
   * host may hold the text "</host>" (nmap writes none; other tools and hand edits do), so it is stepped
   * over whole. (Comments are not: one left open would swallow the rest of the file, where now the XML
   * parser rejects the host that holds it.)
   */
  private hostEnd(): number {
    const b = this.buf;
    for (;;) {
      HOST_END_OR_SKIP.lastIndex = this.searchFrom;
      const m = HOST_END_OR_SKIP.exec(b);
      if (!m) {
        // A "<" near the end may begin one of the three once more text arrives.
        this.searchFrom = Math.max(this.hostStart, b.length - 8);
        return -1;
      }
      if (m[0] === '</host>') return m.index;
      const close = ']]>';
      const end = b.indexOf(close, m.index + m[0].length);
      if (end < 0) {
        this.searchFrom = m.index;
        return -1;
      }
      this.searchFrom = end + close.length;
    }
  }

  /**
   * Called at the end of the input. Throws for input that never became an nmap document (empty, not
   * XML, another XML root); a document without </nmaprun> is left to the caller (it is cut off).
   */
  finish(): void {
    if (this.state !== State.Prolog) return;
    if (!this.sawNonSpace) throw new InputError(`${this.origin} is empty: expected nmap XML output (nmap -oX FILE, or -oX - to pipe it).`);
    const rest = this.buf.slice(this.pos).trimStart();
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
    if (m && m[1] !== 'nmaprun') {
      throw new InputError(`${this.origin} is XML but not nmap output (its root element is <${m[1]}>, not <nmaprun>).`);
    }
    if (rest.startsWith('<')) throw new InputError(`${this.origin} ends before its <nmaprun> element: it is not a complete nmap XML document.`);
    throw this.notXml();
  }

  private notXml(): InputError {
    return new InputError(`${this.origin} is not XML: expected nmap XML output (nmap -oX FILE, or -oX - to pipe it).`);
  }
}

const HOST_END_OR_SKIP = /<\/host>|<!\[CDATA\[/g;

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five predefined entities and numeric character references; anything else stays as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return XML_ENTITIES[ref] ?? whole;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

function readAttributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[m[1]!] = decodeXmlText(m[2] ?? m[3] ?? '');
  }
  return attrs;
}
