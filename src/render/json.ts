import type { Report, SkippedPort, Summary } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { Renderer } from './renderer.js';

/** The report itself, as schemas/report.schema.json describes it. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const jsonRenderer: Renderer = {
  format: 'json',
  extension: 'json',
  mediaType: 'application/json',
  render: renderJson,
};

/** Targets are gathered up to this much text before a write: one write per target was a tenth of a large run. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes a JSON report target by target, so a huge nmap scan never has to be held in memory. The
 * result is the same document `jsonRenderer` writes, but for white space. Targets are written in
 * batches: at FLUSH_AT, and otherwise as soon as the event loop is idle (input awaited), so each
 * target still reaches the output while a slow source (nmap piping its scan) is still running.
 */
export class JsonReportStream {
  private first = true;
  private buffered: string;
  private scheduled = false;
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (chunk: string) => void | Promise<void>,
    header: Omit<Report, 'targets' | 'summary'>,
  ) {
    const head = JSON.stringify(header, null, 2);
    this.buffered = `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "targets": [`;
  }

  async target(target: Target): Promise<void> {
    this.buffered += `${this.first ? '\n    ' : ',\n    '}${JSON.stringify(target)}`;
    this.first = false;
    if (this.buffered.length >= FLUSH_AT) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      // A failed write surfaces from the next flush the caller awaits (at FLUSH_AT or at end()).
      setImmediate(() => {
        this.scheduled = false;
        this.flush().catch(() => {});
      });
    }
  }

  /**
   * Skipped ports and notices learnt while streaming (a cut-off input) go after the targets; key order
   * is immaterial.
   */
  async end(summary: Summary, notices: readonly string[] = [], skipped: readonly SkippedPort[] = []): Promise<void> {
    const skip = skipped.length > 0 ? `\n  "skipped": [\n    ${skipped.map((s) => JSON.stringify(s)).join(',\n    ')}\n  ],` : '';
    const tail = notices.length > 0 ? `,\n  "notices": ${JSON.stringify(notices)}` : '';
    this.buffered += `${this.first ? '' : '\n  '}],${skip}\n  "summary": ${JSON.stringify(summary)}${tail}\n}\n`;
    return this.flush();
  }

  /** Writes what is buffered after every earlier write, in order; resolves when it is written. */
  private flush(): Promise<void> {
    const chunk = this.buffered;
    this.buffered = '';
    if (chunk) this.written = this.written.then(() => this.write(chunk));
    return this.written;
  }
}
