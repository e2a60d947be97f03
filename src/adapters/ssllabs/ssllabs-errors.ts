import { TlsAuditError } from '../../errors.js';

/**
 * API v4 refused the email: a 441, or a 400 naming the `email` field. Nothing can be assessed until the
 * address is registered, so it ends the run like a usage error (exit 2).
 */
export class SslLabsRegistrationError extends TlsAuditError {
  readonly email: string | undefined;

  constructor(email: string | undefined, detail?: string) {
    const who = email ? `the email ${email}` : 'this email';
    const why = detail ? ` (SSL Labs says: ${detail})` : '';
    super(
      `SSL Labs API v4 does not accept ${who}${why}; register this email first: tlsaudit ssllabs register --first-name ... --last-name ... --email ... --organization ...`,
      { code: 'E_SSLLABS_UNREGISTERED', exitCode: 2 },
    );
    this.email = email;
  }
}
