import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { type Cast, createCast, openCase } from './support/case-actors.js';
import { auditOf, caseView, justAfter, nextDueMismatches, sweep } from './support/case-life.js';
import { auth, TestApp } from './support/test-app.js';

/**
 * Deadlines counted with the official holiday calendar (config/calendar/cn-official.json, issue 17 item 2): the
 * State Council's 2026 arrangement puts the Spring Festival on Feb 15–23 with Sat Feb 14 and Sat Feb 28 worked,
 * and National Day on Oct 1–7 with Sun Sep 20 and Sat Oct 10 worked.
 */
const at = (date: string) => new Date(`${date}T02:00:00.000Z`); // 10:00 in Shanghai
const endOf = (date: string) => `${date}T15:59:59.999Z`; // 23:59:59.999 in Shanghai

const dir = mkdtempSync(join(tmpdir(), 'holiday-calendar-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('explanation deadlines over the 2026 holidays', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
    cast = await createCast(t);
  });
  afterEach(async () => {
    expect(await nextDueMismatches(t)).toEqual([]);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a case opened on Thu 2026-02-12 is due on Thu 2026-02-26, and the holiday does not move it on', async () => {
    t.clock.set(at('2026-02-12'));
    const opened = await openCase(t, cast);
    expect(opened.deadlines).toEqual([{ kind: 'explanation', dueAt: endOf('2026-02-26'), overdue: false, actionId: null }]);

    // Monday–Friday alone would have ended it on Thu 2026-02-19, mid-holiday: the day after, nothing fires.
    t.clock.set(at('2026-02-20'));
    expect(await sweep(t)).toBe(0);
    t.clock.set(new Date(endOf('2026-02-26')));
    expect(await sweep(t)).toBe(0);
    expect((await caseView(t, cast.officer, opened.id)).state).toBe('awaitingExplanation');

    t.clock.set(justAfter(endOf('2026-02-26')));
    expect(await sweep(t)).toBe(1);
    expect((await caseView(t, cast.officer, opened.id)).state).toBe('underAssessment');
    const audit = await auditOf(t, cast.officer, opened.id);
    expect(audit.map((e) => e.type)).toEqual(['case.opened', 'explanation.missed']);
    // Replay takes due dates from the history, so the case verifies as recorded.
    const verified = await t.http.get(`/cases/${opened.id}/audit/verify`).set(auth(cast.officer)).expect(200);
    expect(verified.body).toMatchObject({ valid: true, replay: { matches: true } });
  });

  it('a case opened on Mon 2026-09-28 is due on the make-up Saturday 2026-10-10', async () => {
    t.clock.set(at('2026-09-28'));
    const opened = await openCase(t, cast);
    expect(opened.deadlines).toEqual([{ kind: 'explanation', dueAt: endOf('2026-10-10'), overdue: false, actionId: null }]);
    t.clock.set(at('2026-10-06'));
    expect(await sweep(t)).toBe(0);
  });
});

describe('a policy’s local holidays', () => {
  let t: TestApp;

  afterEach(async () => {
    await t.stop();
  });

  it('are skipped on top of the official ones', async () => {
    const policyDir = join(dir, 'policies');
    const policy = JSON.parse(readFileSync('config/policies/default-v1.json', 'utf8')) as { deadlines: Record<string, unknown> };
    policy.deadlines.holidays = ['2026-03-04'];
    mkdirSync(policyDir);
    writeFileSync(join(policyDir, 'default-v1.json'), JSON.stringify(policy));
    t = await TestApp.start({ POLICY_DIR: policyDir, SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
    const cast = await createCast(t);
    // from Mon Mar 2: Tue 3, (Wed 4 off locally), Thu 5, Fri 6, Mon 9, Tue 10
    t.clock.set(at('2026-03-02'));
    expect((await openCase(t, cast)).deadlines).toEqual([expect.objectContaining({ dueAt: endOf('2026-03-10') })]);
    // and the official ones still count: from Thu Feb 12, as under the shipped policy
    t.clock.set(at('2026-02-12'));
    expect((await openCase(t, cast)).deadlines).toEqual([expect.objectContaining({ dueAt: endOf('2026-02-26') })]);
  });
});

describe('calendar coverage: start-up warning and /health', () => {
  let t: TestApp;

  afterEach(async () => {
    await t.stop();
  });

  /** The shipped calendar cut at the end of 2026, so the test does not change when the file is refreshed. */
  function calendarThrough2026(): string {
    const shipped = JSON.parse(readFileSync('config/calendar/cn-official.json', 'utf8')) as Record<string, unknown> & {
      holidays: Record<string, string>;
      workdays: Record<string, string>;
    };
    const upTo = (days: Record<string, string>) => Object.fromEntries(Object.entries(days).filter(([day]) => day <= '2026-12-31'));
    const file = join(dir, 'through-2026.json');
    writeFileSync(
      file,
      JSON.stringify({ ...shipped, coveredThrough: '2026-12-31', holidays: upTo(shipped.holidays), workdays: upTo(shipped.workdays) }),
    );
    return file;
  }

  it('warns at start-up and on /health when the calendar does not cover the next 12 months; /health stays 200 ok', async () => {
    const lines: Array<Record<string, unknown>> = [];
    // The test clock starts on 2026-01-05: 12 months ahead is 2027-01-05, past the file's end.
    t = await TestApp.start({ HOLIDAY_CALENDAR: calendarThrough2026(), LOG_LEVEL: 'warn' }, lines);
    const warnings = lines.filter((line) => line.context === 'HolidayCalendar');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40 });
    expect(JSON.stringify(warnings[0])).toContain('covers days through 2026-12-31 only');

    const health = await t.http.get('/health').expect(200);
    expect(health.body).toEqual({
      status: 'ok',
      calendar: { coveredThrough: '2026-12-31', ok: false },
      warnings: [expect.stringContaining('through 2027-01-05')],
    });

    // Seen from a day that is still covered 12 months ahead, there is nothing to warn about.
    t.clock.set(new Date('2025-12-31T09:00:00.000Z'));
    expect((await t.http.get('/health').expect(200)).body).toEqual({
      status: 'ok',
      calendar: { coveredThrough: '2026-12-31', ok: true },
      warnings: [],
    });
  });

  it('logs no warning when the calendar covers the next 12 months', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const file = join(dir, 'long.json');
    const shipped = JSON.parse(readFileSync('config/calendar/cn-official.json', 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...shipped, coveredThrough: '2099-12-31' }));
    t = await TestApp.start({ HOLIDAY_CALENDAR: file, LOG_LEVEL: 'warn' }, lines);
    expect(lines.filter((line) => line.context === 'HolidayCalendar')).toEqual([]);
    expect((await t.http.get('/health').expect(200)).body).toEqual({
      status: 'ok',
      calendar: { coveredThrough: '2099-12-31', ok: true },
      warnings: [],
    });
  });
});
