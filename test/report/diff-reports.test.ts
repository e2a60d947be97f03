import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffReports, statusMovement } from '../../src/report/diff-reports.js';
import { SUITES, arbReport, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

const ok = (host: string, extra = {}) => observation(host, { address: '192.0.2.1', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] }, ...extra });

describe('statusMovement', () => {
  it('orders pass < warn < error < fail, with fail <-> error unknown', () => {
    expect(statusMovement('pass', 'warn')).toBe('worse');
    expect(statusMovement('warn', 'fail')).toBe('worse');
    expect(statusMovement('pass', 'error')).toBe('worse');
    expect(statusMovement('warn', 'error')).toBe('worse');
    expect(statusMovement('fail', 'pass')).toBe('better');
    expect(statusMovement('error', 'warn')).toBe('better');
    expect(statusMovement('fail', 'error')).toBe('unknown');
    expect(statusMovement('error', 'fail')).toBe('unknown');
    expect(statusMovement('warn', 'warn')).toBe('same');
  });

  it('measures an added target against pass and never counts a removed one as worse', () => {
    expect(statusMovement(undefined, 'pass')).toBe('same');
    expect(statusMovement(undefined, 'warn')).toBe('worse');
    expect(statusMovement(undefined, 'fail')).toBe('worse');
    expect(statusMovement('fail', undefined)).toBe('unknown');
  });
});

describe('diffReports', () => {
  it('lists what appeared and disappeared and how the status moved; unchanged targets are left out', () => {
    const before = report([
      ok('same.example', { address: '192.0.2.9' }),
      observation('mail.example.org', { address: '192.0.2.10', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
      ok('gone.example', { address: '192.0.2.11' }),
    ]);
    const after = report([
      ok('same.example', { address: '192.0.2.9', source: 'probe' }),
      observation('mail.example.org', { address: '192.0.2.10', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsaAes128Gcm] } }),
      ok('new.example', { address: '192.0.2.12' }),
    ]);
    const diff = diffReports(before, after);
    expect(diff.targets.map((t) => [t.host, t.change])).toEqual([
      ['gone.example', 'removed'],
      ['mail.example.org', 'changed'],
      ['new.example', 'added'],
    ]);
    const mail = diff.targets[1]!;
    expect(mail.status).toEqual([{ policy: 'dataverse', old: 'pass', new: 'warn', movement: 'worse' }]);
    expect(mail.protocols).toEqual({ added: ['TLSv1.0'], removed: [] });
    expect(mail.suites.added.map((s) => `${s.protocol} ${s.code}`)).toEqual(['TLSv1.0 0x002F', 'TLSv1.2 0x009C']);
    expect(mail.findings.added.map((f) => f.rule)).toEqual(['legacy-protocols', 'plain-rsa-key-exchange']);
    expect(diff.summary).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1, worse: 1, better: 0 });
    expect(diff.worsened).toBe(true);
  });

  it('shows a target that recovered without its old error, and one that broke with its new one', () => {
    const before = report([observation('down.example', { address: '192.0.2.5', error: 'Connection refused.' }), ok('up.example', { address: '192.0.2.6' })]);
    const after = report([ok('down.example', { address: '192.0.2.5' }), observation('up.example', { address: '192.0.2.6', error: 'Connection timed out.' })]);
    const diff = diffReports(before, after);
    const byHost = new Map(diff.targets.map((t) => [t.host, t]));
    expect(byHost.get('down.example')?.status[0]?.movement).toBe('better');
    expect(byHost.get('down.example')?.error).toBeUndefined();
    expect(byHost.get('up.example')?.error).toBe('Connection timed out.');
  });

  it('is not worsened by an improvement, and says so', () => {
    const before = report([observation('h', { address: '192.0.2.1', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha] } })]);
    const after = report([ok('h')]);
    const diff = diffReports(before, after);
    expect(diff.worsened).toBe(false);
    expect(diff.targets[0]!.status[0]).toEqual({ policy: 'dataverse', old: 'fail', new: 'pass', movement: 'better' });
    expect(diff.targets[0]!.findings.removed.map((f) => f.rule)).toEqual(['approved-suite', 'tls13-or-tls12', 'legacy-protocols', 'plain-rsa-key-exchange']);
  });

  it('matches a target that lost its address on its name', () => {
    const before = report([ok('vpn.example.net', { address: '198.51.100.7' })]);
    const after = report([observation('vpn.example.net', { error: 'Unable to resolve domain name.' })]);
    const diff = diffReports(before, after);
    expect(diff.targets).toHaveLength(1);
    expect(diff.targets[0]!.status[0]!.movement).toBe('worse');
    expect(diff.targets[0]!.error).toBe('Unable to resolve domain name.');
  });

  it('compares each policy the reports share, and a policy only one report has moves nothing', () => {
    const t = observation('h', { address: '192.0.2.1', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128CbcSha256] } });
    const diff = diffReports(report([t]), report([t], [dataversePolicy(), strictModernPolicy()]));
    expect(diff.targets[0]!.status).toEqual([
      { policy: 'dataverse', old: 'pass', new: 'pass', movement: 'same' },
      { policy: 'modern', new: 'fail', movement: 'same' },
    ]);
    expect(diff.worsened).toBe(false);
  });

  it('finds nothing between a report and itself', () => {
    fc.assert(
      fc.property(arbReport, (r) => {
        const diff = diffReports(r, r);
        expect(diff.targets).toEqual([]);
        expect(diff.worsened).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('is symmetric: what appears one way disappears the other', () => {
    fc.assert(
      fc.property(arbReport, arbReport, (a, b) => {
        const ab = diffReports(a, b);
        const ba = diffReports(b, a);
        expect(ab.summary.added).toBe(ba.summary.removed);
        expect(ab.summary.changed).toBe(ba.summary.changed);
        const key = (t: { host: string; port: number; address?: string }) => `${t.host}:${t.port}@${t.address ?? ""}`;
        for (const t of ab.targets) {
          const back = ba.targets.find((u) => key(u) === key(t));
          expect(back).toBeDefined();
          expect(back!.protocols).toEqual({ added: t.protocols.removed, removed: t.protocols.added });
          expect(back!.suites).toEqual({ added: t.suites.removed, removed: t.suites.added });
        }
      }),
      { numRuns: 100 },
    );
  });
});
