/** How chatty the run is on stderr, and whether --no-color was given; set once from the command line. */
export interface TerminalOptions {
  /** -q: errors only. */
  quiet: boolean;
  /** -v: each connection's outcome too. */
  verbose: boolean;
  /** false after --no-color. */
  color: boolean;
}

const current: TerminalOptions = { quiet: false, verbose: false, color: true };

export function setTerminalOptions(options: Partial<TerminalOptions>): void {
  Object.assign(current, options);
}

export function terminalOptions(): Readonly<TerminalOptions> {
  return current;
}

/**
 * Whether a stream gets ANSI colour, as the npm ecosystem decides it: --no-color and NO_COLOR (any
 * non-empty value, https://no-color.org) turn it off; FORCE_COLOR turns it on even for a pipe, except
 * FORCE_COLOR=0 or false, which turn it off (supports-color's reading; picocolors would take "0" as on);
 * otherwise a terminal that is not TERM=dumb gets colour.
 */
export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv = process.env, flag = current.color): boolean {
  if (!flag) return false;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY && env.TERM !== 'dumb';
}
