import { rmSync, writeFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';

import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { EvidenceStorage } from '../src/evidence/evidence-storage.js';
import { TestApp } from './support/test-app.js';

interface ErrorAnswer {
  statusCode: number;
  message: string;
  code: string;
  fields: Array<{ field: string; message: string }>;
}

describe('GET /health/ready', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('answers 200 when the database, the evidence folder, the migrations and the policies are all right', async () => {
    t = await TestApp.start();
    // A day from which the shipped holiday calendar (through 2026-12-31) covers 12 months.
    t.clock.set(new Date('2025-12-01T09:00:00.000Z'));
    const response = await t.http.get('/health/ready').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as { status: string; details: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['database', 'evidenceFolder', 'holidayCalendar', 'migrations', 'policies']);
    expect(Object.values(body.details).every((check) => check.status === 'up')).toBe(true);
  });

  it('answers 503 naming the evidence folder when nothing can be written there', async () => {
    t = await TestApp.start();
    const { root } = t.app.get(EvidenceStorage);
    rmSync(root, { recursive: true, force: true });
    // A file where the folder should be: neither the folder nor a file in it can be created (also as root).
    writeFileSync(root, 'not a folder');
    const body = (await t.http.get('/health/ready').expect(503)).body as ErrorAnswer;
    expect(body.code).toBe('SERVICE_UNAVAILABLE');
    expect(body.fields.map((f) => f.field)).toEqual(['evidenceFolder']);
    expect(body.message).toMatch(/^not ready: evidenceFolder: /);
    // Liveness is another question: the process still answers.
    await t.http.get('/health').expect(200);
    rmSync(root);
  });

  it('answers 503 naming the migrations when the database lacks one, or has one this version does not know', async () => {
    t = await TestApp.start();
    const uow = t.app.get(UnitOfWork);
    const [last] = (
      await uow.run((m) =>
        runSql<{ name: string; timestamp: number }>(m, 'SELECT name, timestamp FROM migrations ORDER BY timestamp DESC LIMIT 1'),
      )
    ).rows;
    await uow.run((m) => runSql(m, 'DELETE FROM migrations WHERE name = ?', [last.name]));
    const pending = (await t.http.get('/health/ready').expect(503)).body as ErrorAnswer;
    expect(pending.fields).toEqual([{ field: 'migrations', message: `pending: ${last.name}` }]);

    await uow.run((m) => runSql(m, 'INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [last.timestamp, last.name]));
    await uow.run((m) =>
      runSql(m, 'INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [9999999999999, 'FromTheFuture9999999999999']),
    );
    const newer = (await t.http.get('/health/ready').expect(503)).body as ErrorAnswer;
    expect(newer.fields).toEqual([
      { field: 'migrations', message: 'applied by a newer version of the service: FromTheFuture9999999999999' },
    ]);
  });

  it('is degraded (still 200) while the holiday calendar is short of 12 months, and 503 once it does not cover today', async () => {
    t = await TestApp.start();
    // The shipped calendar covers 2026 (chinese-days 1.5.7): 12 months ahead from December 2025.
    t.clock.set(new Date('2025-12-01T09:00:00.000Z'));
    const ready = (await t.http.get('/health/ready').expect(200)).body as {
      status: string;
      details: Record<string, Record<string, unknown>>;
    };
    expect(ready.details.holidayCalendar).toEqual({ status: 'up', coveredThrough: '2026-12-31' });

    t.clock.set(new Date('2026-06-01T09:00:00.000Z'));
    const degraded = (await t.http.get('/health/ready').expect(200)).body as typeof ready;
    expect(degraded.status).toBe('degraded');
    expect(degraded.details.holidayCalendar).toMatchObject({ status: 'degraded', coveredThrough: '2026-12-31' });
    expect(degraded.details.holidayCalendar.warning).toContain('npm run calendar:refresh');

    t.clock.set(new Date('2027-01-04T09:00:00.000Z'));
    const stale = (await t.http.get('/health/ready').expect(503)).body as ErrorAnswer;
    expect(stale.fields).toEqual([
      {
        field: 'holidayCalendar',
        message: 'covers days through 2026-12-31 only, not today: refresh HOLIDAY_CALENDAR (npm run calendar:refresh)',
      },
    ]);
  });
});
