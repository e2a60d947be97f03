import { ConnectionFailure } from '../connection.js';

/** The one-line failure of an upgrade dialogue: which protocol, at which step, what the server said. */
export function upgradeFailed(protocol: string, step: string, said: string): ConnectionFailure {
  return new ConnectionFailure('starttls', `${protocol} upgrade to TLS failed at ${step}: ${said}`);
}

/** A server's text, short and printable, for a message. */
export function quote(text: string): string {
  return JSON.stringify(text.split(/\r?\n/).filter(Boolean).at(-1)?.slice(0, 80) ?? '');
}
