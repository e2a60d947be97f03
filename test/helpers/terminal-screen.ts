import { spawn } from 'node:child_process';
import xterm from '@xterm/headless';

/**
 * What a user would see after `output` was written to a terminal of `cols` x `rows`: every line of the
 * scrollback and the screen, as a real terminal emulator (xterm.js) draws them, trailing blank lines cut.
 * Redraws that leave a stale line, overwrite a notice or wrap show here as they would on screen.
 */
export async function terminalScreen(output: string, cols = 80, rows = 24): Promise<string[]> {
  const term = new xterm.Terminal({ cols, rows, scrollback: 10_000, convertEol: true, allowProposedApi: true });
  await new Promise<void>((done) => term.write(output, done));
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  term.dispose();
  return lines;
}

export interface TerminalRun {
  code: number | null;
  /** Everything the command wrote to the terminal (stdout and stderr together), escape codes and all. */
  output: string;
}

/**
 * Runs a command in a real pseudo-terminal of `cols` x `rows` (util-linux `script`), so stdout and stderr
 * are TTYs, as for a user at a terminal.
 */
export function runInTerminal(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; cols?: number; rows?: number }): Promise<TerminalRun> {
  const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${options.cols ?? 80} rows ${options.rows ?? 24}; exec ${argv.map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end();
  });
}
