/**
 * Progress lines on stderr, one per item, redrawn in place. Only on a terminal: when stderr is a pipe or
 * a file, nothing is written, so logs stay clean.
 */
export interface Progress {
  update(key: string, text: string): void;
  /** Takes an item's line away (a finished target of a long sweep). */
  remove(key: string): void;
  /** Stops redrawing and leaves the last state on screen. */
  close(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => {}, remove: () => {}, close: () => {} };
  const lines = new Map<string, string>();
  /** The same lines, least recently updated first. */
  const recent = new Map<string, string>();
  let drawn = 0;
  let closed = false;
  const draw = () => {
    const width = stream.columns ?? 80;
    // The cursor cannot move up past the top of the screen, so a taller block cannot be redrawn in place
    // (and redrawing every item on every update grows quadratically): then only the latest changes show.
    const room = Math.max(1, (stream.rows ?? 24) - 1);
    const shown = lines.size <= room ? [...lines.values()] : [...recent.values()].slice(-room);
    let out = drawn > 0 ? `\x1b[${drawn}F` : '';
    for (const text of shown) out += `\x1b[2K${text.slice(0, width - 1)}\n`;
    // Lines left over from a taller block are cleared, then the cursor returns below the new block.
    if (drawn > shown.length) out += `${'\x1b[2K\n'.repeat(drawn - shown.length)}\x1b[${drawn - shown.length}F`;
    drawn = shown.length;
    stream.write(out);
  };
  return {
    update(key, text) {
      if (closed) return;
      lines.set(key, text);
      recent.delete(key);
      recent.set(key, text);
      draw();
    },
    remove(key) {
      if (closed || !lines.delete(key)) return;
      recent.delete(key);
      draw();
    },
    close() {
      closed = true;
    },
  };
}

/** How far a sweep has got. */
export interface SweepCount {
  done: number;
  /** Targets read so far; the total once `exhausted`. */
  total: number;
  exhausted: boolean;
  elapsedMs: number;
}

/** "120 of 65,536 done  48.2/s  ETA 22m35s", or "120 of 4,000+ done  48.2/s" while the list is still being read. */
export function sweepLine({ done, total, exhausted, elapsedMs }: SweepCount): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [`${n(done)} of ${n(total)}${exhausted ? '' : '+'} done`];
  if (elapsedMs >= 1000 && done > 0) {
    const rate = done / (elapsedMs / 1000);
    parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
    if (exhausted) parts.push(`ETA ${formatSeconds((total - done) / rate)}`);
  }
  return parts.join('  ');
}

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
