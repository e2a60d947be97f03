import stringWidth from 'string-width';

/**
 * Column widths for a terminal table. Each column starts at what its longest line needs; when the row is
 * wider than the terminal, columns give up width step by step (each step takes one column down to a floor)
 * until it fits. `undefined` means no table fits: the caller shows one block per target instead.
 */
export interface ShrinkStep {
  column: number;
  /** Narrowest this step takes the column; its content wraps below its natural width. */
  floor: number;
}

/** `table`'s "norc" border: one rule before, between and after the columns, and one space of padding each side. */
export function tableOverhead(columns: number): number {
  return columns * 3 + 1;
}

/** The widest line among the cells, in terminal columns (colour codes take none, wide characters two). */
export function naturalWidth(cells: readonly string[]): number {
  let widest = 0;
  for (const cell of cells) for (const line of cell.split('\n')) widest = Math.max(widest, stringWidth(line));
  return widest;
}

export function fitColumns(natural: readonly number[], steps: readonly ShrinkStep[], width: number): number[] | undefined {
  const result = natural.map((n) => Math.max(1, n));
  let excess = result.reduce((a, b) => a + b, 0) - (width - tableOverhead(result.length));
  for (const { column, floor } of steps) {
    if (excess <= 0) break;
    const give = Math.max(0, Math.min(excess, result[column]! - Math.max(1, floor)));
    result[column] = result[column]! - give;
    excess -= give;
  }
  return excess <= 0 ? result : undefined;
}
