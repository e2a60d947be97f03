import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TlsAuditError, errorMessage } from '../errors.js';
import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import type { RenderOptions } from './renderer.js';

/**
 * The PDF format: the HTML report printed by a Chromium or Chrome that is already installed (its print
 * stylesheet keeps every column, expands "How to fix" and numbers the pages). Nothing is downloaded.
 */
export const PAPER_SIZES = ['a4', 'letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

export interface PdfOptions extends RenderOptions {
  paper?: PaperSize;
  /** The browser to print with; default: TLSAUDIT_CHROMIUM, else chromium, chromium-browser or google-chrome on PATH. */
  browser?: string;
  /** How long the browser may take, in milliseconds (default 120 s). */
  timeoutMs?: number;
}

/** No browser to print with: exit 2, said before any assessment starts. */
export class PdfBrowserError extends TlsAuditError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'E_PDF_BROWSER', exitCode: 2, cause });
  }
}

const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser the pdf format will use, or a one-line error that says how to get one. */
export function findPdfBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.TLSAUDIT_CHROMIUM;
  if (chosen) {
    if (executable(chosen)) return chosen;
    throw new PdfBrowserError(`TLSAUDIT_CHROMIUM names ${chosen}, which is not an executable file.`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  throw new PdfBrowserError(
    'The pdf format prints through Chromium or Google Chrome, and neither is installed: install one (Debian/Ubuntu: apt-get install chromium) or set TLSAUDIT_CHROMIUM to its path; tlsaudit never downloads a browser.',
  );
}

const PAGE_SIZE: Record<PaperSize, string> = { a4: 'A4', letter: 'letter' };

/** Prints the report's HTML to PDF with a headless browser and returns the PDF's bytes. */
export async function renderPdf(report: Report, options: PdfOptions = {}): Promise<Buffer> {
  const browser = options.browser ?? findPdfBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-pdf-'));
  try {
    const html = renderHtml(report, options).replace('</style>', `@page{size:${PAGE_SIZE[options.paper ?? 'a4']}}</style>`);
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      // Chromium's own date-and-URL header and footer; the report's stylesheet draws its own.
      '--no-pdf-header-footer',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${pdf}`,
      pathToFileURL(page).href,
    ];
    // Chromium refuses to start its sandbox as root (as in containers and CI).
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    await new Promise<void>((resolve, reject) => {
      execFile(browser, args, { timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error) {
          const last = String(stderr).trim().split('\n').filter(Boolean).pop();
          reject(new TlsAuditError(`${browser} could not print the report to PDF: ${last ?? errorMessage(error)}`, { code: 'E_PDF', cause: error }));
        } else resolve();
      });
    });
    let bytes: Buffer;
    try {
      bytes = readFileSync(pdf);
    } catch (error) {
      throw new TlsAuditError(`${browser} printed no PDF (${errorMessage(error)}).`, { code: 'E_PDF', cause: error });
    }
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new TlsAuditError(`${browser} wrote something that is not a PDF.`, { code: 'E_PDF' });
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
