import { parentPort } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import { parseNmapHost } from './parse-nmap-host.js';
import type { ParseHostsReply, ParseHostsRequest } from './nmap-parse-pool.js';

// Parses batches of <host> elements off the main thread. Results go back as one JSON text per batch:
// the observations are plain data, and one string crosses threads faster than a structured clone.
// A host that cannot be read ends the batch there: the hosts before it go back with the error, so the
// reading ends after them exactly as on the main thread.
parentPort?.on('message', (request: ParseHostsRequest) => {
  const results = [];
  let failure: { error: string; inputError: boolean } | undefined;
  for (const xml of request.hosts) {
    try {
      results.push(parseNmapHost(xml, request.context));
    } catch (error) {
      failure = { error: error instanceof Error ? error.message : String(error), inputError: error instanceof InputError };
      break;
    }
  }
  const reply: ParseHostsReply = { id: request.id, json: JSON.stringify(results), ...failure };
  parentPort!.postMessage(reply);
});
