import { UsageError } from '../errors.js';
import { csvRenderer } from './csv.js';
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { markdownRenderer } from './markdown.js';
import { FORMATS, type Format, type Renderer } from './renderer.js';
import { sarifRenderer } from './sarif.js';
import { tableRenderer } from './table.js';

/** Every format's renderer, by name. */
export const RENDERERS: Readonly<Record<Format, Renderer>> = {
  table: tableRenderer,
  json: jsonRenderer,
  markdown: markdownRenderer,
  html: htmlRenderer,
  csv: csvRenderer,
  junit: junitRenderer,
  sarif: sarifRenderer,
};

export function rendererFor(format: string): Renderer {
  // Own keys only: 'constructor' or 'toString' must not pass for a format.
  const renderer = Object.hasOwn(RENDERERS, format) ? RENDERERS[format as Format] : undefined;
  if (!renderer) throw new UsageError(`Unknown format '${format}': choose one of ${FORMATS.join(', ')}.`);
  return renderer;
}
