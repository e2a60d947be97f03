import { describe, expect, it } from 'vitest';
import { progressOf } from '../../../src/adapters/ssllabs/assess-with-ssllabs.js';
import { AssessmentSlots } from '../../../src/adapters/ssllabs/assessment-slots.js';
import { progressLine } from '../../../src/cli/commands/ssllabs.js';

function slots(max: number, refresh: () => Promise<void> = async () => {}): AssessmentSlots {
  return new AssessmentSlots({ maxAssessments: max, coolOffMs: 0, coolOffMarginMs: 0, recheckMs: 5, refresh });
}

describe('AssessmentSlots', () => {
  it('lets one starting request through at a time, and a waiter that gives up does not open the gate', async () => {
    const s = slots(5);
    s.update({ currentAssessments: 0 }, Date.now());
    const first = await s.acquire();
    const giveUp = new AbortController();
    const second = s.acquire(giveUp.signal);
    let thirdIn = false;
    const third = s.acquire().then((t) => {
      thirdIn = true;
      return t;
    });
    giveUp.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    await new Promise((r) => setTimeout(r, 20));
    expect(thirdIn).toBe(false);
    first.done(true);
    (await third).done(true);
    expect(thirdIn).toBe(true);
    expect(s.inFlight).toBe(2);
  });

  it('holds new assessments while its own count is at the limit, until one is released', async () => {
    const s = slots(1);
    (await s.acquire()).done(true);
    let started = false;
    const next = s.acquire().then((t) => {
      started = true;
      t.done(true);
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toBe(false);
    s.release();
    await next;
    expect(started).toBe(true);
    expect(s.peakOwn).toBe(1);
  });

  it("asks the API again while its count says the account's slots are taken by others", async () => {
    let calls = 0;
    const s: AssessmentSlots = slots(2, async () => {
      calls += 1;
      s.update({ currentAssessments: calls < 3 ? 2 : 1 }, Date.now());
    });
    const ticket = await s.acquire();
    expect(calls).toBe(3);
    ticket.done(true);
  });
});

describe('progress', () => {
  it('adds up endpoint ETAs and averages their progress', () => {
    const p = progressOf({
      status: 'IN_PROGRESS',
      endpoints: [
        { ipAddress: '192.0.2.1', progress: 100, eta: 0, statusMessage: 'Ready' },
        { ipAddress: '192.0.2.2', progress: 40, eta: 50, statusDetailsMessage: 'Testing protocols' },
        { ipAddress: '192.0.2.3', progress: -1, eta: 70 },
      ],
    });
    expect(p).toEqual({ progress: 47, etaSeconds: 120, message: 'Testing protocols' });
    expect(progressOf({ status: 'DNS', statusMessage: 'Resolving domain names' })).toEqual({ progress: 0, message: 'Resolving domain names' });
  });

  it('prints one line per host with state, percentage and ETA', () => {
    expect(progressLine({ host: 'www.example.org', state: 'IN_PROGRESS', progress: 45, etaSeconds: 80, message: 'Testing protocols' })).toBe(
      'www.example.org  IN_PROGRESS  45%  ETA 1m20s  Testing protocols',
    );
    expect(progressLine({ host: 'a.example', state: 'queued' })).toBe('a.example  queued');
  });
});
