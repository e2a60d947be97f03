import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';
import type { Agents } from 'got';
import { UsageError } from '../../errors.js';

/**
 * got's agents for the proxy a URL goes through: `explicit` (--proxy) when given, else the one
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name unless NO_PROXY excludes the host. hpagent tunnels https
 * with CONNECT and forwards plain http, keeping connections alive across the many polls of a run.
 */
export function proxyAgents(url: URL, explicit?: string): { agent: Agents; proxy: string } | undefined {
  const proxy = explicit ?? getProxyForUrl(url.href);
  if (!proxy) return undefined;
  let cached = agents.get(proxy);
  if (!cached) {
    checkProxyUrl(proxy, explicit !== undefined ? '--proxy' : 'the proxy from the environment');
    const options = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 64, maxFreeSockets: 16, proxy };
    cached = { http: new HttpProxyAgent(options), https: new HttpsProxyAgent(options) };
    agents.set(proxy, cached);
  }
  return { agent: cached, proxy };
}

const agents = new Map<string, Agents>();

export function checkProxyUrl(proxy: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch (error) {
    throw new UsageError(`${what} "${proxy}" is not a URL (write http://HOST:PORT).`, error);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${what} "${proxy}" is not an http:// or https:// proxy.`);
  return url;
}
