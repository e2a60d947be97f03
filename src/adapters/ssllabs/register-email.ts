import { InputError, TlsAuditError, UsageError } from '../../errors.js';
import type { SslLabsRegisterResponse, SslLabsRegistration } from './api-types.js';
import { SslLabsApi, type SslLabsApiOptions } from './ssllabs-api.js';

export interface SslLabsRegisterResult {
  /** The API's status ("success" or "failure"). */
  status: string;
  message: string;
}

const FIELDS = ['firstName', 'lastName', 'email', 'organization'] as const;

/**
 * Registers an email with SSL Labs API v4 (POST register with firstName, lastName, email, organization)
 * and returns the API's answer. A refusal the API explains (status "failure", or a 400 naming a field)
 * is returned, not thrown; transport failures and non-v4 URLs throw.
 */
export async function registerSslLabsEmail(
  registration: SslLabsRegistration,
  options: Omit<SslLabsApiOptions, 'email'> & { signal?: AbortSignal } = {},
): Promise<SslLabsRegisterResult> {
  for (const field of FIELDS) {
    if (typeof registration[field] !== 'string' || registration[field].trim() === '') {
      throw new UsageError(`SSL Labs registration needs --${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.`);
    }
  }
  const api = new SslLabsApi(options);
  if (api.version !== 'v4') throw new UsageError(`Registration exists only in SSL Labs API v4, not at ${api.baseUrl}.`);
  const response = await api.register(registration, options.signal);
  const { outcome } = response;
  if (outcome.kind === 'ok') {
    const body = (outcome.body ?? {}) as SslLabsRegisterResponse;
    return {
      status: typeof body.status === 'string' ? body.status : 'unknown',
      message: typeof body.message === 'string' ? body.message : JSON.stringify(outcome.body),
    };
  }
  if (outcome.kind === 'invalid' || outcome.kind === 'unregistered') {
    return { status: 'failure', message: outcome.message.replace(/^SSL Labs refused the request: /, '') };
  }
  if (outcome.kind === 'transient' && /malformed JSON/.test(outcome.message)) {
    throw new InputError(`SSL Labs answered the registration with ${outcome.message}.`);
  }
  throw new TlsAuditError(`SSL Labs registration failed: ${outcome.message}.`, { code: 'E_SSLLABS', exitCode: 2 });
}
