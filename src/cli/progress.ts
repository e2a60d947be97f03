/**
 * Progress lines on stderr, one per item, redrawn in place. Only on a terminal: when stderr is a pipe or
 * a file, nothing is written, so logs stay clean.
 */
export interface Progress {
  update(key: string, text: string): void;
  /** Stops redrawing and leaves the last state on screen. */
  close(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => {}, close: () => {} };
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
    close() {
      closed = true;
    },
  };
}
