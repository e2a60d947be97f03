import { UsageError } from '../errors.js';
import { jsonRenderer } from './json.js';
import { FORMATS, type Format, type Renderer } from './renderer.js';
import { tableRenderer } from './table.js';

/** Every format's renderer, by name. */
export const RENDERERS: Partial<Record<Format, Renderer>> = {
  table: tableRenderer,
  json: jsonRenderer,
};

export function rendererFor(format: string): Renderer {
  const renderer = RENDERERS[format as Format];
  if (!renderer) {
    throw new UsageError(`Unknown format '${format}': choose one of ${FORMATS.filter((f) => RENDERERS[f]).join(', ')}.`);
  }
  return renderer;
}
