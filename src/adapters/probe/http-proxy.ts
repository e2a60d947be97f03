import { isIP } from 'node:net';
import { UsageError } from '../../errors.js';

/** An HTTP proxy the probe tunnels each connection through with CONNECT (RFC 9110 §9.3.6). */
export interface HttpProxy {
  host: string;
  port: number;
  /** The proxy as written, password hidden, for messages. */
  label: string;
  /** "Basic ..." when the URL carries credentials (RFC 7617). */
  authorization?: string;
}

/** Reads --proxy http://[user:password@]host:port for the probe. Throws UsageError naming the value. */
export function parseHttpProxy(text: string): HttpProxy {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(`--proxy "${text}" is not a URL (write http://HOST:PORT).`, error);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--proxy "${text}": the probe tunnels through an http:// proxy with CONNECT; ${url.protocol}// is not supported.`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 80 : Number(url.port);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (url.password) url.password = '***';
  const proxy: HttpProxy = { host, port, label: url.href.replace(/\/$/, '') };
  if (user || password) proxy.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return proxy;
}

/** The CONNECT request for host:port (RFC 9110 §9.3.6: the authority form, IPv6 in brackets). */
export function connectRequest(host: string, port: number, proxy: HttpProxy): string {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
  return `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`;
}
