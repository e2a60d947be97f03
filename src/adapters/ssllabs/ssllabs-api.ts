import got, { RequestError } from 'got';
import { UsageError } from '../../errors.js';
import type { SslLabsRegistration } from './api-types.js';
import { classifyResponse, type ApiOutcome } from './classify-response.js';
import { DEFAULT_SSLLABS_API_URL } from './default-api-url.js';
import { checkProxyUrl, proxyAgents } from './proxy-agent.js';

export { DEFAULT_SSLLABS_API_URL };

export type SslLabsApiVersion = 'v3' | 'v4';

export interface SslLabsApiOptions {
  /** Base URL; one ending in /v3/ speaks API v3, anything else v4. */
  apiUrl?: string;
  /** The address registered with API v4; sent as the `email` header on every v4 call. */
  email?: string;
  /**
   * Per-request deadline, from sending to the body's last byte: a slow answer, or one that drips a byte
   * at a time, counts as a network error.
   */
  requestTimeoutMs?: number;
  /** Largest response body read (8 MiB); a longer one is cut off as it streams in and not retried. */
  maxBodyBytes?: number;
  userAgent?: string;
  /** Proxy for every API call (--proxy); without it HTTPS_PROXY/HTTP_PROXY and NO_PROXY decide. */
  proxy?: string;
}

/** Rate-limit headers of a response; the API sends them on every successful call. */
export interface RateHeaders {
  maxAssessments?: number;
  currentAssessments?: number;
}

export interface ApiResponse {
  outcome: ApiOutcome;
  rate: RateHeaders;
  /** When the request was sent (ms since 1970), to tell fresh header readings from stale ones. */
  sentAt: number;
}

/**
 * One HTTP call at a time against the SSL Labs API: no retries and no waiting here (the assessment loop
 * decides), only the translation of status codes, bodies and network failures into an ApiOutcome.
 */
export class SslLabsApi {
  readonly baseUrl: string;
  readonly version: SslLabsApiVersion;
  readonly email: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;
  private readonly proxy: string | undefined;

  constructor(options: SslLabsApiOptions = {}) {
    this.baseUrl = normaliseBaseUrl(options.apiUrl ?? DEFAULT_SSLLABS_API_URL);
    this.version = /\/v3\/$/.test(this.baseUrl) ? 'v3' : 'v4';
    this.email = options.email?.trim() || undefined;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.userAgent = options.userAgent ?? 'tlsaudit';
    this.proxy = options.proxy;
    if (this.proxy !== undefined) checkProxyUrl(this.proxy, '--proxy');
  }

  /** Throws the one-line usage error API v4 deserves when no email was given; call before any request. */
  requireEmail(): void {
    if (this.version === 'v4' && this.email === undefined) {
      throw new UsageError(
        'SSL Labs API v4 needs the email address you registered: pass --email ADDRESS or set SSLLABS_EMAIL (register one with "tlsaudit ssllabs register").',
      );
    }
  }

  info(signal?: AbortSignal): Promise<ApiResponse> {
    return this.call('GET', 'info', {}, undefined, signal);
  }

  analyze(params: Record<string, string>, signal?: AbortSignal): Promise<ApiResponse> {
    return this.call('GET', 'analyze', params, undefined, signal);
  }

  getEndpointData(host: string, address: string, signal?: AbortSignal): Promise<ApiResponse> {
    return this.call('GET', 'getEndpointData', { host, s: address }, undefined, signal);
  }

  register(registration: SslLabsRegistration, signal?: AbortSignal): Promise<ApiResponse> {
    return this.call('POST', 'register', {}, registration, signal);
  }

  private async call(
    method: 'GET' | 'POST',
    command: string,
    searchParams: Record<string, string>,
    json: unknown,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.version === 'v4' && this.email !== undefined) headers.email = this.email;
    const sentAt = Date.now();
    let oversize = false;
    const url = new URL(command, this.baseUrl);
    const viaProxy = proxyAgents(url, this.proxy);
    try {
      const request = got(url, {
        ...(viaProxy && { agent: viaProxy.agent }),
        method,
        searchParams,
        headers,
        ...(json === undefined ? {} : { json }),
        ...(signal === undefined ? {} : { signal }),
        responseType: 'text',
        throwHttpErrors: false,
        followRedirect: false,
        // Bodies are taken as sent: a small gzip answer must not inflate past the size cap in memory.
        decompress: false,
        retry: { limit: 0 },
        timeout: { request: this.timeoutMs },
      });
      // Counted as the bytes arrive (and from Content-Length when sent), so a 2 GB answer costs 8 MiB, not 2 GB.
      request.on('downloadProgress', (progress: { transferred: number; total?: number }) => {
        if (!oversize && (progress.transferred > this.maxBodyBytes || (progress.total ?? 0) > this.maxBodyBytes)) {
          oversize = true;
          request.cancel();
        }
      });
      const response = await request;
      const rate = rateHeaders(response.headers);
      return { outcome: classifyResponse(response.statusCode, response.headers, response.body), rate, sentAt };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (oversize) {
        // A real Host answer is well under a few MB: a bigger one is broken or hostile, and asking again gets the same.
        return { outcome: { kind: 'invalid', message: `SSL Labs answered ${command} with a body over the ${formatBytes(this.maxBodyBytes)} limit` }, rate: {}, sentAt };
      }
      const untrusted = untrustedCertificate(error);
      const message = untrusted ?? networkMessage(error);
      const said = viaProxy ? `${message} (through the proxy ${redact(viaProxy.proxy)})` : message;
      // A certificate the API's client cannot trust stays untrusted however often it is asked.
      return { outcome: { kind: untrusted ? 'invalid' : 'transient', message: said }, rate: {}, sentAt };
    }
  }
}

/** The largest API answer read: SSL Labs' biggest Host objects (many endpoints, all details) are a few hundred KB. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MiB` : `${n} bytes`;
}

function normaliseBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new UsageError(`--api-url ${url} is not a URL.`, error);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`--api-url ${url} is not an http(s) URL.`);
  }
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/** X-Max-Assessments / X-Current-Assessments, falling back to API v2's X-ClientMaxAssessments. */
export function rateHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): RateHeaders {
  const read = (name: string): number | undefined => {
    const raw = headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    return raw !== undefined && Number.isInteger(value) ? value : undefined;
  };
  const rate: RateHeaders = {};
  const max = read('x-max-assessments') ?? read('x-clientmaxassessments');
  const current = read('x-current-assessments');
  if (max !== undefined) rate.maxAssessments = max;
  if (current !== undefined) rate.currentAssessments = current;
  return rate;
}

/** OpenSSL's and Node's codes for a server certificate that fails verification (node:tls). */
const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Why the API's certificate was refused, with the usual cure: behind a TLS-inspecting corporate proxy
 * the certificate is the proxy's, signed by a company CA Node does not know. Undefined for other errors.
 */
function untrustedCertificate(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !CERTIFICATE_ERRORS.has(code)) return undefined;
  const reason = error instanceof Error ? error.message : code;
  return `the SSL Labs API's certificate is not trusted (${code}: ${reason}); behind a TLS-inspecting proxy, give its CA to Node with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`;
}

function networkMessage(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.name === 'TimeoutError') return 'no answer from SSL Labs in time (request timed out)';
    if (error.code === 'ECONNRESET') return 'the connection to SSL Labs was reset';
    if (error.code === 'ECONNREFUSED') return 'SSL Labs refused the connection';
    return `network error talking to SSL Labs: ${error.code ?? error.message}`;
  }
  return `network error talking to SSL Labs: ${error instanceof Error ? error.message : String(error)}`;
}

/** A proxy URL for messages: a password in it is not shown. */
function redact(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = '***';
    return url.href.replace(/\/$/, '');
  } catch {
    return proxy;
  }
}
