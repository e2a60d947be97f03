import { extname } from 'node:path';
import { UsageError } from '../errors.js';

/** What --format and a file extension can name: every text renderer, and pdf. */
export type OutputFormat = 'table' | 'json' | 'markdown' | 'html' | 'csv' | 'junit' | 'sarif' | 'pdf';

/** One report to write: where (undefined is stdout) and in which format. */
export interface PlannedOutput {
  path: string | undefined;
  format: OutputFormat;
}

/** The extensions whose format is known, as testssl.sh's -oA names its files (JUnit is XML). */
export const FORMAT_OF_EXTENSION: Readonly<Record<string, OutputFormat>> = {
  '.json': 'json',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.xml': 'junit',
  '.sarif': 'sarif',
  '.pdf': 'pdf',
  '.txt': 'table',
};

/** The format a path's extension names, if any (case does not matter: REPORT.HTML is html). */
export function formatOfPath(path: string): OutputFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(path).toLowerCase()];
}

/**
 * Decides each -o's format. No -o: stdout in --format (default table). One -o: --format when given,
 * else the extension's format, else table (a file named report.log still gets the table). Several -o:
 * each file's extension decides, so an extension that names no format, '-' or a --format (which could
 * only fit one of them) is a usage error, as is the same path twice.
 */
export function planOutputs(paths: readonly string[] | undefined, format: string | undefined): PlannedOutput[] {
  const given = format as OutputFormat | undefined;
  if (paths === undefined || paths.length === 0) return [{ path: undefined, format: given ?? 'table' }];
  if (paths.length === 1) {
    const path = paths[0]!;
    if (path === '-') return [{ path: undefined, format: given ?? 'table' }];
    return [{ path, format: given ?? formatOfPath(path) ?? 'table' }];
  }
  if (given !== undefined) {
    throw new UsageError(`--format applies to one output only; with several -o each file's extension decides (${Object.keys(FORMAT_OF_EXTENSION).join(' ')}).`);
  }
  const seen = new Set<string>();
  return paths.map((path) => {
    if (seen.has(path)) throw new UsageError(`-o ${path} is given twice.`);
    seen.add(path);
    const inferred = path === '-' ? undefined : formatOfPath(path);
    if (inferred === undefined) {
      throw new UsageError(`Cannot tell the format of -o ${path} among several outputs: name it with one of ${Object.keys(FORMAT_OF_EXTENSION).join(' ')}.`);
    }
    return { path, format: inferred };
  });
}

/** Whether the report lands somewhere other than this terminal's stdout: then a summary line tells what happened. */
export function writesToFile(outputs: readonly PlannedOutput[]): boolean {
  return outputs.some((o) => o.path !== undefined && !/^\/(dev\/(stdout|fd\/1)|proc\/self\/fd\/1)$/.test(o.path));
}

/** "7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> report.html, report.json" */
export function summaryLine(summary: Readonly<Record<'pass' | 'warn' | 'fail' | 'error', number>>, skipped: number, paths: readonly string[]): string {
  const total = summary.pass + summary.warn + summary.fail + summary.error;
  const counts = `${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail, ${summary.error} error`;
  return `${total} ${total === 1 ? 'target' : 'targets'}: ${counts}${skipped > 0 ? `; ${skipped} skipped` : ''} -> ${paths.join(', ')}`;
}
