import { parentPort } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import { parseNmapHost } from './parse-nmap-host.js';
import type { ParseHostsReply, ParseHostsRequest } from './nmap-parse-pool.js';

// Parses batches of <host> elements off the main thread. Results go back as one JSON text per batch:
// the observations are plain data, and one string crosses threads faster than a structured clone.
parentPort?.on('message', (request: ParseHostsRequest) => {
  let reply: ParseHostsReply;
  try {
    reply = { id: request.id, json: JSON.stringify(request.hosts.map((xml) => parseNmapHost(xml, request.context))) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: request.id, error: message, inputError: error instanceof InputError };
  }
  parentPort!.postMessage(reply);
});
