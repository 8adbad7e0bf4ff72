import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';

import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { decidedCase, START, startQuietApp } from './support/case-life.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, type TestApp, type TestUser } from './support/test-app.js';

/**
 * Issue 16: no list may hand out an unbounded set. Each list is grown past its maximum directly in the
 * database (fast, and independent of the upload and declaration limits), then read: the response stops at
 * the default or asked limit and says where to continue (`X-Next-Cursor`, `Link: <…>; rel="next"`); a limit
 * past the maximum is a 400 naming the field. Without the bounds, each read below returned everything.
 */
describe('every list has a maximum page size', () => {
  let t: TestApp;
  let cast: Cast;
  let caseId: string;
  let admin: string;

  const sql = (query: string, params: unknown[]) => t.app.get(UnitOfWork).run((manager) => runSql(manager, query, params));
  const at = (i: number) => new Date(START.getTime() + i * 1000).toISOString();
  const get = (path: string, user: TestUser | string) => t.http.get(path).set(auth(user));
  /** The whole list, following Link headers from the first page; the number of requests it took. */
  async function follow(path: string, user: TestUser | string): Promise<{ items: unknown[]; requests: number }> {
    const items: unknown[] = [];
    let next: string | undefined = path;
    let requests = 0;
    while (next) {
      const response: Response = await get(next, user).expect(200);
      requests++;
      items.push(...(response.body as unknown[]));
      next = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link ?? ''))?.[1];
      expect(response.headers['x-next-cursor'] === undefined).toBe(next === undefined);
    }
    return { items, requests };
  }
  const expectLimitRefused = async (path: string, user: TestUser | string, field: string) => {
    const response = await get(path, user);
    expectRefusal(response, 400, field);
  };

  beforeAll(async () => {
    t = await startQuietApp();
    t.clock.set(START);
    cast = await createCast(t);
    admin = await t.adminToken();
    caseId = (await openCase(t, cast)).id;
  });
  afterAll(() => t.stop());

  it('GET /cases/:id/audit: 500 events a page by default, at most 1,000, continued after a seq', async () => {
    // 1,200 more events after the opening one (the chain is not what this reads).
    for (let seq = 2; seq <= 1201; seq++) {
      await sql(
        `INSERT INTO audit_events (id, case_id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash)
         VALUES (?, ?, ?, 'evidence.added', ?, 'officer', ?, '{}', 3, ?, ?)`,
        [randomUUID(), caseId, seq, cast.officer.id, at(seq), 'x'.repeat(64), 'y'.repeat(64)],
      );
    }
    const first = await get(`/cases/${caseId}/audit`, cast.officer).expect(200);
    expect(first.body).toHaveLength(500);
    expect(first.headers['x-next-cursor']).toBe('500');
    expect(first.headers.link).toBe(`</cases/${caseId}/audit?afterSeq=500&limit=500>; rel="next"`);
    const page = await get(`/cases/${caseId}/audit?afterSeq=1000&limit=1000`, cast.officer).expect(200);
    expect((page.body as Array<{ seq: number }>).map((e) => e.seq)).toEqual(Array.from({ length: 201 }, (_, i) => 1001 + i));
    expect(page.headers['x-next-cursor']).toBeUndefined();
    const all = await follow(`/cases/${caseId}/audit?limit=1000`, cast.officer);
    expect(all.items).toHaveLength(1201);
    expect(all.requests).toBe(2);
    await expectLimitRefused(`/cases/${caseId}/audit?limit=1001`, cast.officer, 'limit');
    await expectLimitRefused(`/cases/${caseId}/audit?afterSeq=-1`, cast.officer, 'afterSeq');
  });

  it('GET /cases/:id/evidence: an array of 100 files by default, at most 500, continued after a case version', async () => {
    for (let v = 2; v <= 601; v++) {
      await sql(
        `INSERT INTO evidence (id, case_id, filename, media_type, size, sha256, uploaded_by, uploader_role, at, case_version)
         VALUES (?, ?, ?, 'text/plain; charset=utf-8', 1, ?, ?, 'cadre', ?, ?)`,
        [randomUUID(), caseId, `note-${v}.txt`, 'a'.repeat(64), cast.cadre.id, at(v), v],
      );
    }
    const first = await get(`/cases/${caseId}/evidence`, cast.cadre).expect(200);
    expect(first.body).toHaveLength(100);
    expect((first.body as Array<{ filename: string }>)[0].filename).toBe('note-2.txt');
    expect(first.headers['x-next-cursor']).toBe('101');
    const max = await get(`/cases/${caseId}/evidence?limit=500`, cast.cadre).expect(200);
    expect(max.body).toHaveLength(500);
    const all = await follow(`/cases/${caseId}/evidence?limit=500`, cast.cadre);
    expect((all.items as Array<{ filename: string }>).map((e) => e.filename)).toEqual(
      Array.from({ length: 600 }, (_, i) => `note-${i + 2}.txt`),
    );
    await expectLimitRefused(`/cases/${caseId}/evidence?limit=501`, cast.cadre, 'limit');
    await expectLimitRefused(`/cases/${caseId}/evidence?after=x`, cast.cadre, 'after');
  });

  it('GET /me/notifications: 200 a page, newest first; unread counts all of them, not the page', async () => {
    for (let i = 0; i < 450; i++) {
      await sql('INSERT INTO notifications (id, user_id, case_id, kind, message, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        randomUUID(),
        cast.assessor.id,
        caseId,
        'case.opened',
        `note ${i}`,
        at(i),
        i % 3 === 0 ? at(i) : null,
      ]);
    }
    const first = (await get('/me/notifications', cast.assessor).expect(200)).body as {
      items: Array<{ message: string }>;
      unread: number;
      total: number;
    };
    expect(first).toMatchObject({ total: 450, unread: 300, page: 1, pageSize: 200 });
    expect(first.items).toHaveLength(200);
    expect(first.items[0].message).toBe('note 449');
    const last = (await get('/me/notifications?page=3', cast.assessor).expect(200)).body as { items: unknown[] };
    expect(last.items).toHaveLength(50);
    const unread = (await get('/me/notifications?unread=true&pageSize=10', cast.assessor).expect(200)).body as {
      items: unknown[];
      total: number;
    };
    expect(unread).toMatchObject({ total: 300, unread: 300 });
    expect(unread.items).toHaveLength(10);
    await expectLimitRefused('/me/notifications?pageSize=201', cast.assessor, 'pageSize');
    await expectLimitRefused('/me/notifications?page=10001', cast.assessor, 'page');
  });

  it('GET /users, /units, /cadres, /conflicts and /cases/:id/access-log: 500 rows by default, at most 1,000, by offset', async () => {
    const unitId = await t.createUnit('Big county');
    const cadreIds: string[] = [];
    for (let i = 0; i < 1100; i++) {
      const id = randomUUID();
      cadreIds.push(id);
      await sql('INSERT INTO users (id, username, display_name, password_hash, roles, unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        `bulk-cadre-${String(i).padStart(4, '0')}`,
        `Cadre ${String(i).padStart(4, '0')}`,
        'not-a-hash',
        '["cadre"]',
        unitId,
        at(i),
      ]);
      await sql('INSERT INTO units (id, name, parent_id, path, created_at) VALUES (?, ?, ?, ?, ?)', [
        id,
        `Township ${i}`,
        unitId,
        `/${t.rootUnitId}/${unitId}/${id}/`,
        at(i),
      ]);
      await sql('INSERT INTO conflicts (id, user_id, subject_id, reason, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        randomUUID(),
        cast.leader.id,
        id,
        'a relative',
        cast.leader.id,
        at(i),
      ]);
      await sql("INSERT INTO access_log (id, case_id, user_id, action, reason, at) VALUES (?, ?, ?, 'review', 'you opened this case', ?)", [
        randomUUID(),
        caseId,
        cast.officer.id,
        at(i),
      ]);
    }
    const officer = await t.user(['officer'], unitId);
    for (const [path, user, least] of [
      ['/users', admin, 1100],
      ['/units', admin, 1100],
      ['/cadres', officer, 1100],
      ['/cadres?q=cadre%2001', officer, 100], // the filter travels with the Link
      ['/conflicts', cast.leader, 1100],
      [`/cases/${caseId}/access-log`, cast.officer, 1100],
    ] as const) {
      const first = await get(path, user).expect(200);
      expect({ path, length: (first.body as unknown[]).length }).toEqual({ path, length: Math.min(500, least) });
      const all = await follow(path, user);
      expect({ path, all: all.items.length >= least, requests: all.requests }).toEqual({
        path,
        all: true,
        requests: Math.ceil(all.items.length / 500) || 1,
      });
      expect(new Set(all.items.map((item) => JSON.stringify(item))).size).toBe(all.items.length); // no row twice
      await expectLimitRefused(`${path}${path.includes('?') ? '&' : '?'}limit=1001`, user, 'limit');
    }
    const named = (await get('/cadres?q=CADRE%2000&limit=1000', officer).expect(200)).body as Array<{ username: string }>;
    expect(named.map((c) => c.username)).toEqual(Array.from({ length: 100 }, (_, i) => `bulk-cadre-00${String(i).padStart(2, '0')}`));
    expect(cadreIds).toHaveLength(1100);
  });

  it('a case takes at most 50 corrective actions: the 51st is a 422 naming the limit and writes nothing', async () => {
    const decided = await decidedCase(t, cast, 'correct');
    for (let i = 0; i < 50; i++) {
      await sql(
        `INSERT INTO corrective_actions (id, case_id, description, status, due_at, created_by, created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`,
        [randomUUID(), decided.id, `measure ${i}`, '2027-01-01T00:00:00.000Z', cast.officer.id, at(i), at(i)],
      );
    }
    const refused = await withoutWriting(t, cast.officer, decided.id, () =>
      t.http.post(`/cases/${decided.id}/corrective-actions`).set(auth(cast.officer)).send({ description: 'one more' }),
    );
    expectRefusal(refused, 422);
    expect(JSON.stringify(refused.body)).toContain('correctiveActions');
    const view = await get(`/cases/${decided.id}`, cast.officer).expect(200);
    expect((view.body as { correctiveActions: unknown[] }).correctiveActions).toHaveLength(50);
  });
});
