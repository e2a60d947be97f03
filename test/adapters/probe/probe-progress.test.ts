import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/progress.js';

/** A terminal of `rows` lines that records every write. */
function fakeTerminal(rows: number): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 80, rows, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const linesIn = (s: string) => s.split('\n').length - 1;

describe('progress on a terminal with more targets than rows', () => {
  it('redraws no more lines than fit on the screen, and shows the latest change', () => {
    const { stream, writes } = fakeTerminal(10);
    const progress = createProgress(stream);
    for (let i = 0; i < 200; i++) progress.update(`t${i}`, `t${i}  probing`);
    progress.update('t3', 't3  done');
    progress.close();
    // Moving the cursor up more lines than the screen holds cannot redraw in place, and redrawing every
    // target on every update writes a quadratic number of lines.
    expect(Math.max(...writes.map(linesIn))).toBeLessThanOrEqual(9);
    expect(writes.at(-1)).toContain('t3  done');
  });

  it('a run that fits keeps one line per target in input order', () => {
    const { stream, writes } = fakeTerminal(10);
    const progress = createProgress(stream);
    for (const k of ['a', 'b', 'c']) progress.update(k, `${k}  probing`);
    progress.update('b', 'b  done');
    expect(writes.at(-1)).toBe('\x1b[3F\x1b[2Ka  probing\n\x1b[2Kb  done\n\x1b[2Kc  probing\n');
  });
});
