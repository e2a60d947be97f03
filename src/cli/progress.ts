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
  let drawn = 0;
  let closed = false;
  const draw = () => {
    const width = stream.columns ?? 80;
    let out = drawn > 0 ? `\x1b[${drawn}F` : '';
    for (const text of lines.values()) out += `\x1b[2K${text.slice(0, width - 1)}\n`;
    drawn = lines.size;
    stream.write(out);
  };
  return {
    update(key, text) {
      if (closed) return;
      lines.set(key, text);
      draw();
    },
    close() {
      closed = true;
    },
  };
}
