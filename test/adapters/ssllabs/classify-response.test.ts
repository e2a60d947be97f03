import { describe, expect, it } from 'vitest';
import { classifyResponse, parseRetryAfter } from '../../../src/adapters/ssllabs/classify-response.js';
import { rateHeaders } from '../../../src/adapters/ssllabs/ssllabs-api.js';

describe('classifyResponse', () => {
  it('reads the documented status codes into what to do next', () => {
    expect(classifyResponse(200, {}, '{"status":"READY"}')).toEqual({ kind: 'ok', body: { status: 'READY' } });
    expect(classifyResponse(200, {}, '{"status":"REA').kind).toBe('transient');
    expect(classifyResponse(429, {}, '').kind).toBe('rate-limited');
    expect(classifyResponse(500, {}, '').kind).toBe('transient');
    expect(classifyResponse(529, {}, '')).toMatchObject({ kind: 'unavailable', status: 529 });
    expect(classifyResponse(503, { 'retry-after': '120' }, '')).toMatchObject({ kind: 'unavailable', status: 503, retryAfterMs: 120_000 });
    expect(classifyResponse(441, {}, '{"errors":[{"field":"email","message":"not registered"}]}')).toEqual({
      kind: 'unregistered',
      message: 'email: not registered',
    });
  });

  it('tells a 400 about the email from a 400 about the host', () => {
    expect(classifyResponse(400, {}, '{"errors":[{"field":"email","message":"invalid"}]}').kind).toBe('unregistered');
    expect(classifyResponse(400, {}, '{"errors":[{"field":"host","message":"qp.invalid"}]}')).toEqual({
      kind: 'invalid',
      message: 'SSL Labs refused the request: host: qp.invalid',
    });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('rateHeaders', () => {
  it('reads X-Max-Assessments and X-Current-Assessments, falling back to X-ClientMaxAssessments', () => {
    expect(rateHeaders({ 'x-max-assessments': '25', 'x-current-assessments': '3' })).toEqual({ maxAssessments: 25, currentAssessments: 3 });
    expect(rateHeaders({ 'x-clientmaxassessments': '5' })).toEqual({ maxAssessments: 5 });
    expect(rateHeaders({ 'x-max-assessments': '7', 'x-clientmaxassessments': '5' })).toEqual({ maxAssessments: 7 });
    expect(rateHeaders({ 'x-max-assessments': 'many' })).toEqual({});
  });
});
