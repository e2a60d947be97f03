import { describe, expect, it } from 'vitest';
import { terminalScreen } from '../../helpers/terminal-screen.js';
import { createProgress, progressFrame, totalLine, type ProgressState } from '../../../src/cli/progress.js';

const tally = (pass = 0, warn = 0, fail = 0, error = 0) => ({ pass, warn, fail, error });

function state(over: Partial<ProgressState> = {}): ProgressState {
  return { inFlight: new Map(), done: 0, total: 0, exhausted: true, tally: tally(), elapsedMs: 0, ...over };
}

describe('the total line', () => {
  it('says done/total, the statuses so far, the rate and an ETA once the list is read', () => {
    expect(totalLine(state({ done: 120, total: 65536, tally: tally(100, 10, 8, 2), elapsedMs: 10_000 }))).toBe(
      '120/65,536 done  100 pass  10 warn  8 fail  2 error  12/s  ETA 1h30m',
    );
    expect(totalLine(state({ done: 3, total: 7, tally: tally(2, 0, 1), elapsedMs: 2_000 }))).toBe('3/7 done  2 pass  0 warn  1 fail  0 error  1.5/s  ETA 3s');
  });

  it('says done/? and gives no ETA while a list is still streaming', () => {
    expect(totalLine(state({ done: 3, total: 40, exhausted: false, tally: tally(3), elapsedMs: 2_000 }))).toBe('3/? done  3 pass  0 warn  0 fail  0 error  1.5/s');
  });

  it('gives no rate before a second has passed or a target is done, and no ETA when all are done', () => {
    expect(totalLine(state({ done: 0, total: 10, elapsedMs: 5_000 }))).toBe('0/10 done  0 pass  0 warn  0 fail  0 error');
    expect(totalLine(state({ done: 10, total: 10, tally: tally(10), elapsedMs: 5_000 }))).toBe('10/10 done  10 pass  0 warn  0 fail  0 error  2.0/s');
  });
});

describe('what the block draws', () => {
  it('one line per target in flight, in the order they started, then the total line', () => {
    const inFlight = new Map([
      ['a', 'a.test:443  probing'],
      ['b', 'b.test:443  probing'],
    ]);
    expect(progressFrame(state({ inFlight, total: 2 }), { columns: 80, rows: 24 })).toEqual([
      'a.test:443  probing',
      'b.test:443  probing',
      '0/2 done  0 pass  0 warn  0 fail  0 error',
    ]);
  });

  it('never gets taller than the screen: the rest of the targets in flight are counted', () => {
    const inFlight = new Map(Array.from({ length: 200 }, (_, i) => [`t${i}`, `t${i}  probing`] as const));
    const frame = progressFrame(state({ inFlight, total: 500, exhausted: false }), { columns: 80, rows: 10 });
    // Ten rows: eight lines of targets, the total line, and the line the cursor rests on.
    expect(frame).toHaveLength(9);
    expect(frame.slice(0, 8)).toEqual([...Array.from({ length: 7 }, (_, i) => `t${i}  probing`), '… and 193 more in flight']);
    expect(frame.at(-1)).toMatch(/^0\/\? done/);
    // A screen of two rows still shows the total line.
    expect(progressFrame(state({ inFlight }), { columns: 80, rows: 2 })).toHaveLength(1);
  });

  it('cuts every line to the width so none wraps', () => {
    const inFlight = new Map([['a', `${'x'.repeat(300)}  probing`]]);
    const frame = progressFrame(state({ inFlight, done: 12345, total: 99999, tally: tally(12345) }), { columns: 40, rows: 24 });
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(39);
  });

  it('colours the counts only when asked', () => {
    const s = state({ done: 2, total: 3, tally: tally(1, 0, 1) });
    expect(progressFrame(s, { columns: 80, rows: 24 }).at(-1)).not.toContain('\x1b[');
    const coloured = progressFrame(s, { columns: 80, rows: 24, color: true }).at(-1)!;
    expect(coloured).toContain('\x1b[32m1 pass\x1b[39m');
    expect(coloured).toContain('\x1b[31m1 fail\x1b[39m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(totalLine(s));
  });
});

/** A terminal that records every write. */
function fakeTerminal(rows: number, isTTY = true): { stream: NodeJS.WriteStream; text: () => string } {
  const writes: string[] = [];
  const stream = { isTTY, columns: 80, rows, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => writes.join('') };
}

describe('the progress block', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const { stream, text } = fakeTerminal(24, false);
    const progress = createProgress(stream);
    progress.update('a', 'a  probing');
    progress.close();
    expect(text()).toBe('');
  });

  it('prints notices above the block, drops finished targets and leaves the total line', async () => {
    const { stream, text } = fakeTerminal(24);
    const progress = createProgress(stream);
    progress.total(2, true);
    progress.update('a', 'a.test  queued');
    progress.notice('tlsaudit: SSL Labs: This is a test server');
    progress.remove('a');
    progress.assessed('pass');
    progress.update('b', 'b.test  IN_PROGRESS  40%');
    progress.notice('tlsaudit: HTTP 503 from SSL Labs, retrying in 1s');
    progress.remove('b');
    progress.assessed('fail');
    progress.close();
    // What the screen shows at the end: both notices, in order, and the total line; no target's line.
    expect(await terminalScreen(text(), 80, 24)).toEqual([
      'tlsaudit: SSL Labs: This is a test server',
      'tlsaudit: HTTP 503 from SSL Labs, retrying in 1s',
      '2/2 done  1 pass  0 warn  1 fail  0 error',
    ]);
  });
});
