import { afterEach, describe, expect, it } from 'vitest';
import { registerSslLabsEmail } from '../../../src/adapters/ssllabs/index.js';
import { TlsAuditError, UsageError } from '../../../src/errors.js';
import { startFakeSslLabs, type FakeSslLabs } from '../../helpers/ssllabs-server.js';

const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', organization: 'Example Ltd' };
let fake: FakeSslLabs | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('registerSslLabsEmail', () => {
  it('posts the four fields as JSON and returns the answer; a second time the API says failure', async () => {
    fake = await startFakeSslLabs();
    expect(await registerSslLabsEmail(ADA, { apiUrl: fake.url })).toEqual({ status: 'success', message: 'User has been registered successfully' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', command: 'register', body: ADA, email: undefined });
    expect(fake.registered.has('ada@example.org')).toBe(true);
    expect((await registerSslLabsEmail(ADA, { apiUrl: fake.url })).status).toBe('failure');
  });

  it('refuses before any request when a field is empty or the API is v3', async () => {
    fake = await startFakeSslLabs();
    await expect(registerSslLabsEmail({ ...ADA, lastName: ' ' }, { apiUrl: fake.url })).rejects.toThrow(/--last-name/);
    await expect(registerSslLabsEmail(ADA, { apiUrl: 'http://127.0.0.1:9/api/v3/' })).rejects.toThrow(UsageError);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports an API that cannot answer as one error line', async () => {
    fake = await startFakeSslLabs();
    const url = fake.url;
    await fake.close();
    fake = undefined;
    await expect(registerSslLabsEmail(ADA, { apiUrl: url })).rejects.toThrow(TlsAuditError);
    await expect(registerSslLabsEmail(ADA, { apiUrl: url })).rejects.toThrow(/SSL Labs registration failed: SSL Labs refused the connection/);
  });
});
