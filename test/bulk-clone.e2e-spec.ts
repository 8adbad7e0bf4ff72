import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { BulkWriter } from '../scripts/bulk/bulk-writer.js';
import { type CompiledTemplate, compileTemplate, instantiate, type Row, type TemplateRows } from '../scripts/bulk/case-template.js';
import { PostgresBulkWriter } from '../scripts/bulk/postgres-writer.js';
import { SqliteBulkWriter } from '../scripts/bulk/sqlite-writer.js';
import { appendOnlyRowId } from '../src/common/row-id.js';
import { type Cast, createCast } from './support/case-actors.js';
import { caseCountMismatches, decidedCase } from './support/case-life.js';
import { auth, TestApp } from './support/test-app.js';

/**
 * The bulk seed's promise: a clone of a case made through the real command path verifies (hash chain and
 * full replay against its stored row) like the original, and a clone altered afterwards does not.
 */
describe('bulk seed clones (e2e)', () => {
  let t: TestApp;
  let cast: Cast;
  let other: Cast;
  let compiled: CompiledTemplate;
  let writer: BulkWriter;
  const title = '临江县荷塘村安置房分配审批程序倒置';

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    other = await createCast(t);
    const decided = await decidedCase(t, cast, 'correct');
    await t.http
      .post(`/cases/${decided.id}/corrective-actions`)
      .set(auth(cast.officer))
      .send({ description: '限期提交整改方案' })
      .expect(201);
    // The seed reads and writes on its own connection (the service stopped); here it works beside the app.
    const { DATABASE_URL, DATABASE_PATH } = t.database.env;
    writer = DATABASE_URL ? await PostgresBulkWriter.connect(DATABASE_URL) : new SqliteBulkWriter(DATABASE_PATH);
    const caseRow = (await writer.selectRows('cases', 'id', [decided.id]))[0];
    const template: TemplateRows = {
      caseId: decided.id,
      title: caseRow.title as string,
      description: caseRow.description as string,
      tables: new Map(),
    };
    template.tables.set('cases', [caseRow]);
    for (const table of (await writer.caseTables()).filter((name) => name !== 'access_log')) {
      template.tables.set(table, await writer.selectRows(table, 'case_id', [decided.id], table === 'audit_events' ? 'seq' : undefined));
    }
    compiled = compileTemplate(template);
  });

  afterAll(async () => {
    await writer.close();
    await t.stop();
  });

  /** The other cast plays the clone; everything else that is a row of the case gets a fresh id. */
  const people = (): Map<string, string> =>
    new Map([
      [cast.officer.id, other.officer.id],
      [cast.assessor.id, other.assessor.id],
      [cast.cadre.id, other.cadre.id],
      [cast.leader.id, other.leader.id],
      [t.rootUnitId, t.rootUnitId],
    ]);

  async function insertClone(alter?: (tables: ReturnType<typeof instantiate>['tables']) => void): Promise<string> {
    const map = people();
    const clone = instantiate(compiled, {
      mapId: (id) => map.get(id) ?? (id[14] === '7' ? appendOnlyRowId() : randomUUID()),
      shiftMs: -3 * 7 * 24 * 3600 * 1000,
      title,
      description: '群众来信反映。涉及金额约120000元。',
    });
    alter?.(clone.tables);
    for (const { table, columns, rows } of clone.tables) {
      writer.add(table, columns, rows);
    }
    await writer.flush();
    return clone.caseId;
  }

  const verify = async (caseId: string) =>
    (await t.http.get(`/cases/${caseId}/audit/verify`).set(auth(other.leader)).expect(200)).body as {
      valid: boolean;
      firstInvalidSeq: number | null;
      replay: { matches: boolean; field: string | null };
    };

  it('a clone is found by 1–2 character searches: the pair index is filled for the rows the seed writes', async () => {
    const caseId = await insertClone();
    for (const q of ['荷塘', '倒', '约1']) {
      const body = (await t.http.get('/cases').query({ q, pageSize: 100 }).set(auth(other.leader)).expect(200)).body as {
        items: Array<{ id: string }>;
      };
      expect(body.items.map((item) => item.id)).toContain(caseId);
    }
  });

  it('a clone verifies: chain valid and the replay matches the stored case', async () => {
    const id = await insertClone();
    expect(await verify(id)).toMatchObject({ valid: true, firstInvalidSeq: null, replay: { matches: true } });
    const view = (await t.http.get(`/cases/${id}`).set(auth(other.cadre)).expect(200)).body as Row;
    expect(view).toMatchObject({ title, state: 'decided', outcome: 'correct', subjectId: other.cadre.id });
    // The seed's inserts went through the triggers that keep the list totals (SQLite).
    expect(await caseCountMismatches(t)).toEqual([]);
    // The original case is untouched and the clone is not visible to the original cadre.
    await t.http.get(`/cases/${id}`).set(auth(cast.cadre)).expect(404);
  });

  it('a clone whose event data was altered after re-chaining fails the chain at that event', async () => {
    const id = await insertClone((tables) => {
      const audit = tables.find((x) => x.table === 'audit_events')!;
      const data = audit.columns.indexOf('data');
      audit.rows[1][data] = (audit.rows[1][data] as string).replace(/"statement":"/, '"statement":"(edited) ');
    });
    expect(await verify(id)).toMatchObject({ valid: false, firstInvalidSeq: 2 });
  });

  it('a clone whose case row disagrees with its events fails the replay', async () => {
    const id = await insertClone((tables) => {
      const cases = tables.find((x) => x.table === 'cases')!;
      cases.rows[0][cases.columns.indexOf('outcome')] = 'tolerate';
    });
    expect(await verify(id)).toMatchObject({ valid: true, replay: { matches: false, field: 'outcome' } });
  });
});
