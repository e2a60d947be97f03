import type { Report } from '../model/report.js';
import type { Policy } from '../policy/policy.js';

export const FORMATS = ['table', 'json', 'markdown', 'html', 'csv', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour in terminal formats; the CLI turns it on for a terminal without NO_COLOR. */
  color?: boolean;
  /**
   * The policy documents the report was judged by. Formats that show rules (html, markdown, junit, sarif)
   * take titles and rationale from them; without them they know only the rules the findings name.
   * The markdown and html "how to fix" advice is generated from them too, so without a policy's
   * document there is no advice for it (the renderers load nothing themselves).
   */
  policies?: readonly Policy[];
  /**
   * Columns the terminal formats may use (the table). The CLI passes the terminal's width, or COLUMNS when
   * output is not a terminal; without it the table assumes DEFAULT_WIDTH.
   */
  width?: number;
}

/** The width a table is laid out for when nobody says otherwise: a wide terminal, as reports are often files. */
export const DEFAULT_WIDTH = 132;

/** One output format. Renderers are pure: a report in, the document's text out. */
export interface Renderer {
  format: Format;
  /** File extension for the format, without the dot. */
  extension: string;
  mediaType: string;
  render(report: Report, options?: RenderOptions): string;
}

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}
