import type { Report, Summary } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { Renderer } from './renderer.js';

export const jsonRenderer: Renderer = {
  format: 'json',
  extension: 'json',
  mediaType: 'application/json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

/**
 * Writes a JSON report target by target, so a huge nmap scan never has to be held in memory. The
 * result is the same document `jsonRenderer` writes, but for white space.
 */
export class JsonReportStream {
  private first = true;

  constructor(
    private readonly write: (chunk: string) => void | Promise<void>,
    header: Omit<Report, 'targets' | 'summary'>,
  ) {
    const head = JSON.stringify(header, null, 2);
    this.pending = `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "targets": [`;
  }

  private pending: string;

  async target(target: Target): Promise<void> {
    const text = JSON.stringify(target);
    const chunk = `${this.pending}${this.first ? '\n    ' : ',\n    '}${text}`;
    this.pending = '';
    this.first = false;
    await this.write(chunk);
  }

  /** Notices learnt while streaming (a cut-off input) go after the targets; key order is immaterial. */
  async end(summary: Summary, notices: readonly string[] = []): Promise<void> {
    const tail = notices.length > 0 ? `,\n  "notices": ${JSON.stringify(notices)}` : '';
    await this.write(`${this.pending}${this.first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary)}${tail}\n}\n`);
    this.pending = '';
  }
}
