import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { InputError, errorMessage } from '../errors.js';
import type { TargetObservation } from '../model/target.js';

/** One finished target, as a line of the resume file. */
interface ResumeLine {
  key: string;
  observations: TargetObservation[];
}

const CHUNK = 1 << 20;

/**
 * The --resume file: one JSON line per finished target, appended (and handed to the kernel) as each
 * completes, so a run killed at any point loses at most the targets in flight. Reopened, it skips what
 * is done. Only each line's key and place in the file are held in memory; the observations are read
 * back from the file when their turn comes, so a 50,000-target sweep does not hold 50,000 results.
 */
export class ResumeLog {
  private readonly done = new Map<string, { offset: number; length: number }>();
  private size = 0;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens (or creates) the file and indexes the targets it holds; a last line cut off by a kill is dropped. */
  static open(path: string): ResumeLog {
    let fd: number;
    try {
      fd = openSync(path, 'a+');
    } catch (error) {
      throw new InputError(`Cannot open the resume file ${path}: ${errorMessage(error)}.`, error);
    }
    const log = new ResumeLog(path, fd);
    try {
      log.index();
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return log;
  }

  private index(): void {
    const total = fstatSync(this.fd).size;
    const buffer = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    let carryStart = 0;
    let position = 0;
    let lineNumber = 0;
    let complete = 0;
    while (position < total) {
      const n = readSync(this.fd, buffer, 0, CHUNK, position);
      if (n === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        lineNumber++;
        const line = data.subarray(start, nl);
        const offset = carryStart + start;
        if (line.length > 0) this.done.set(keyOf(line, this.path, lineNumber), { offset, length: line.length });
        start = nl + 1;
        complete = carryStart + start;
      }
      carry = Buffer.from(data.subarray(start));
      carryStart += start;
      position += n;
    }
    // A line without its newline is a write the kill interrupted: that target runs again.
    if (complete < total) ftruncateSync(this.fd, complete);
    this.size = complete;
  }

  /** Targets the file says are finished. */
  get finished(): number {
    return this.done.size;
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  /** The observations recorded for a finished target. */
  read(key: string): TargetObservation[] | undefined {
    const where = this.done.get(key);
    if (!where) return undefined;
    const buffer = Buffer.alloc(where.length);
    readSync(this.fd, buffer, 0, where.length, where.offset);
    return (JSON.parse(buffer.toString('utf8')) as ResumeLine).observations;
  }

  /** Records a finished target; written before the call returns. */
  append(key: string, observations: TargetObservation[]): void {
    const line = Buffer.from(`${JSON.stringify({ key, observations } satisfies ResumeLine)}\n`, 'utf8');
    writeSync(this.fd, line);
    this.done.set(key, { offset: this.size, length: line.length - 1 });
    this.size += line.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function keyOf(line: Buffer, path: string, lineNumber: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    throw new InputError(`${path}:${lineNumber} is not a JSON line of a tlsaudit resume file; give another --resume file.`);
  }
  const key = (parsed as Partial<ResumeLine> | null)?.key;
  if (typeof key !== 'string' || !Array.isArray((parsed as ResumeLine).observations)) {
    throw new InputError(`${path}:${lineNumber} is not a line of a tlsaudit resume file (no "key" and "observations"); give another --resume file.`);
  }
  return key;
}
