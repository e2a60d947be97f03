import { Worker } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import type { NmapHostContext, NmapHostResult } from './parse-nmap-host.js';

export interface ParseHostsRequest {
  id: number;
  hosts: string[];
  context: NmapHostContext;
}

/** The parsed hosts of a batch; with `error`, the batch ended at a host that could not be read. */
export interface ParseHostsReply {
  id: number;
  json: string;
  error?: string;
  inputError?: boolean;
}

/** A batch's hosts up to the first that could not be read, and that host's error. */
export interface ParsedBatch {
  results: NmapHostResult[];
  error?: Error;
}

interface Waiting {
  resolve(batch: ParsedBatch): void;
  reject(error: Error): void;
}

// Built, the worker is JavaScript next to this module. Under tsx (tests, benches) both are TypeScript
// and the worker registers tsx itself before loading its module.
const UNDER_TSX = import.meta.url.endsWith('.ts');

function startWorker(): Worker {
  if (!UNDER_TSX) return new Worker(new URL('./parse-hosts-worker.js', import.meta.url));
  const entry = new URL('./parse-hosts-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * Worker threads that parse batches of <host> elements (slimming, fast-xml-parser, the tree walk)
 * while the main thread evaluates and renders what is already parsed. Each batch goes to the worker
 * with the fewest batches waiting; callers keep document order by awaiting batches in turn.
 */
export class NmapParsePool {
  private readonly workers: Array<{ worker: Worker; busy: number }> = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      const slot = { worker, busy: 0 };
      worker.on('message', (reply: ParseHostsReply) => {
        slot.busy--;
        const w = this.waiting.get(reply.id);
        if (!w) return;
        this.waiting.delete(reply.id);
        const results = JSON.parse(reply.json) as NmapHostResult[];
        if (reply.error === undefined) w.resolve({ results });
        else w.resolve({ results, error: reply.inputError ? new InputError(reply.error) : new Error(reply.error) });
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an nmap parsing worker stopped (exit ${code})`));
      });
      this.workers.push(slot);
    }
  }

  /**
   * Parses hosts of one document, in a worker; resolves with their results in the same order, up to the
   * first host that could not be read (whose error comes with them).
   */
  parse(hosts: string[], context: NmapHostContext): Promise<ParsedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    const request: ParseHostsRequest = { id, hosts, context };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.busy++;
      slot.worker.postMessage(request);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.worker.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
