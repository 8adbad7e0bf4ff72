import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';

import { CaseExportService } from '../src/reports/case-export.service.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { ACCOUNTABLE_ASSESSMENT, CORRECT_ASSESSMENT, EXPLANATION_DUE, justAfter, START, startQuietApp } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { auth, type TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

const DAY = 24 * 3600 * 1000;
const TRICKY_TITLE = '=SUM(1,2) "引号"\n第二行';

/** RFC 4180, enough for the tests: quoted fields with doubled quotes and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

/**
 * The leadership report and the CSV export (issue 5), against figures counted by hand. In a county unit
 * (and a town below it) five cases open at START: c1 tolerated after 1 day; c2 overridden from tolerate
 * to correct after 2; c3 held accountable after 3, appealed and revised to correct; c4 (in the town)
 * corrected after 4, appealed and upheld; c5 left waiting for the explanation. c6 opens later.
 */
describe('leadership reports', () => {
  let t: TestApp;
  let county: Cast;
  let town: Cast;
  let sibling: Cast;
  let admin: string;
  const c: Record<string, string> = {};

  const carry = async (cast: Cast, id: string, assessment: object, reviewer: TestUser, review: object) => {
    await t.http.post(`/cases/${id}/explanation`).set(auth(cast.cadre)).send({ statement: '情况说明' }).expect(200);
    await t.http.post(`/cases/${id}/assessment`).set(auth(cast.assessor)).send(assessment).expect(200);
    await t.http.post(`/cases/${id}/review`).set(auth(reviewer)).send(review).expect(200);
  };
  const appealAndRule = async (cadre: TestUser, judge: TestUser, id: string, ruling: object) => {
    await t.http.post(`/cases/${id}/appeal`).set(auth(cadre)).send({ reason: '不服' }).expect(200);
    await t.http.post(`/cases/${id}/appeal-review`).set(auth(judge)).send(ruling).expect(200);
  };
  const csv = (user: TestUser | string, query: Record<string, string> = {}) =>
    t.http
      .get('/reports/cases.csv')
      .query(query)
      .set(auth(user))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const rowsOf = (response: Response) => parseCsv((response.body as Buffer).toString('utf8').replace(/^\uFEFF/, ''));

  beforeAll(async () => {
    t = await startQuietApp();
    const countyId = await t.createUnit('县纪委 County');
    county = await createCast(t, countyId);
    town = await createCast(t, await t.createUnit('乡镇 Town', countyId));
    sibling = await createCast(t, await t.createUnit('Sibling county'));
    admin = await t.adminToken();
    t.clock.set(START);
    c.c1 = (await openCase(t, county, { title: '扶贫项目资金拨付', category: 'procurement' })).id;
    // c2 is in another category than c1: after c1's tolerance, a second tolerable error of the same cadre
    // and category would be a repeat error (recommended correct), and the override would be refused.
    c.c2 = (await openCase(t, county, { category: 'land-use' })).id;
    c.c3 = (await openCase(t, county, { category: 'procurement' })).id;
    c.c4 = (await openCase(t, town, { category: 'land-use' })).id;
    c.c5 = (await openCase(t, county, { category: 'land-use' })).id;
    t.clock.set(new Date(START.getTime() + DAY));
    await carry(county, c.c1, TOLERABLE_ASSESSMENT, county.leader, { decision: 'approve' });
    t.clock.set(new Date(START.getTime() + 2 * DAY));
    await carry(county, c.c2, TOLERABLE_ASSESSMENT, county.leader, { decision: 'override', outcome: 'correct', reason: '损失未完全挽回' });
    t.clock.set(new Date(START.getTime() + 3 * DAY));
    await carry(county, c.c3, ACCOUNTABLE_ASSESSMENT, county.leader, { decision: 'approve' });
    await appealAndRule(county.cadre, county.otherLeader, c.c3, { decision: 'revise', outcome: 'correct', reason: '情节较轻' });
    t.clock.set(new Date(START.getTime() + 4 * DAY));
    await carry(town, c.c4, CORRECT_ASSESSMENT, county.leader, { decision: 'approve' });
    await appealAndRule(town.cadre, county.otherLeader, c.c4, { decision: 'uphold', reason: '维持' });
    t.clock.set(justAfter(EXPLANATION_DUE)); // c5's explanation is now overdue (nothing swept)
    c.c6 = (await openCase(t, county, { title: TRICKY_TITLE, category: 'procurement' })).id;
  });
  afterAll(() => t.stop());

  describe('GET /reports/summary', () => {
    const PERIOD = { from: '2026-01-05', to: '2026-01-06' };

    it('gives the period’s figures as counted by hand', async () => {
      const { body } = await t.http.get('/reports/summary').query(PERIOD).set(auth(county.leader)).expect(200);
      expect(body).toMatchObject({
        period: { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z', on: 'createdAt' },
        at: justAfter(EXPLANATION_DUE).toISOString(),
        cases: 5,
        decided: 4,
        byOutcome: { tolerate: 1, correct: 3, 'hold-accountable': 0 },
        overrides: { decided: 4, overridden: 1, rate: 0.25, finalDiffersFromRecommendation: 2, finalDiffersRate: 0.5 },
        appeals: { decided: 4, appealed: 2, rate: 0.5, ruled: 2, revised: 1, revisionRate: 0.5 },
        // days 1, 2, 3, 4: median 2.5; p90 at rank 2.7 → 3 + 0.7 × (4 − 3)
        daysToDecision: { cases: 4, median: 2.5, p90: 3.7 },
      });
      expect(body.byCategory).toEqual([
        { category: 'land-use', cases: 3, decided: 2, byOutcome: { tolerate: 0, correct: 2, 'hold-accountable': 0 } },
        { category: 'procurement', cases: 2, decided: 2, byOutcome: { tolerate: 1, correct: 1, 'hold-accountable': 0 } },
      ]);
      expect(body.byUnit.map((u: { name: string; cases: number }) => [u.name, u.cases])).toEqual([
        ['县纪委 County', 4],
        ['乡镇 Town', 1],
      ]);
      const pattern = (intent: string) =>
        body.byPattern.find(
          (p: { intent: string; motive: string; nature: string }) =>
            p.intent === intent && p.motive === 'public' && p.nature === 'trial-and-error',
        );
      expect(pattern('negligent')).toMatchObject({ cases: 3, decided: 3, byOutcome: { tolerate: 1, correct: 2 } });
      expect(pattern('intentional')).toMatchObject({ cases: 1, byOutcome: { correct: 1, 'hold-accountable': 0 } });
      expect(body.byPattern).toHaveLength(8);
    });

    it('counts open cases and overdue deadlines as of now, whenever the cases were opened', async () => {
      const { body } = await t.http.get('/reports/summary').query(PERIOD).set(auth(county.leader)).expect(200);
      expect(body.open).toEqual({
        total: 6,
        byState: { awaitingExplanation: 2, underAssessment: 0, pendingReview: 0, decided: 2, appealReview: 0, correcting: 2 },
      });
      expect(body.overdue).toEqual({
        cases: 1,
        deadlines: 1,
        byKind: { explanation: 1, review: 0, appealWindow: 0, appealReview: 0, correction: 0 },
      });
      // An admin without unitId reaches every unit (the county's cases are all there are): the same figures of now.
      const everywhere = await t.http.get('/reports/summary').set(auth(admin)).expect(200);
      expect(everywhere.body).toMatchObject({ open: body.open, overdue: body.overdue });
    });

    it('covers every case without a period, and a unit’s subtree with unitId', async () => {
      expect((await t.http.get('/reports/summary').set(auth(county.leader)).expect(200)).body).toMatchObject({
        cases: 6,
        period: { from: null, to: null },
      });
      const townOnly = await t.http.get('/reports/summary').query({ unitId: town.officer.unitId }).set(auth(county.leader)).expect(200);
      expect(townOnly.body).toMatchObject({ cases: 1, decided: 1, open: { total: 1 }, overdue: { cases: 0 } });
      expect((await t.http.get('/reports/summary').set(auth(town.leader)).expect(200)).body.cases).toBe(1);
      const asAdmin = await t.http
        .get('/reports/summary')
        .query({ ...PERIOD, unitId: county.officer.unitId })
        .set(auth(admin))
        .expect(200);
      expect(asAdmin.body).toMatchObject({ cases: 5, daysToDecision: { median: 2.5 } });
    });

    it('shows another unit’s figures to nobody but its leaders and admins', async () => {
      expectRefusal(await t.http.get('/reports/summary').query({ unitId: county.officer.unitId }).set(auth(sibling.leader)), 403, 'unitId');
      expectRefusal(await t.http.get('/reports/summary').query({ unitId: county.officer.unitId }).set(auth(town.leader)), 403, 'unitId');
      expect((await t.http.get('/reports/summary').set(auth(sibling.leader)).expect(200)).body).toMatchObject({
        cases: 0,
        open: { total: 0 },
      });
      for (const user of [county.cadre, county.officer]) {
        expectRefusal(await t.http.get('/reports/summary').set(auth(user)), 403);
      }
      expectRefusal(
        await t.http.get('/reports/summary').query({ unitId: '00000000-0000-4000-8000-000000000000' }).set(auth(admin)),
        422,
        'unitId',
      );
    });

    it.each([
      [{ from: '2026-01-32' }, 'from'],
      [{ from: '2026-02-01', to: '2026-01-01' }, 'to'],
      [{ unitId: 'county' }, 'unitId'],
      [{ period: 'month' }, 'period'],
    ])('refuses %j with a 400 naming %s', async (query, field) => {
      expectRefusal(await t.http.get('/reports/summary').query(query).set(auth(county.leader)), 400, `${field}`);
    });
  });

  describe('GET /reports/cases.csv', () => {
    it('streams UTF-8 CSV with a BOM as an attachment', async () => {
      const response = await csv(county.leader).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="cases-2026-01-12\.csv"$/);
      expect(response.headers['transfer-encoding']).toBe('chunked'); // written as read, no length known up front
      expect(response.headers['content-length']).toBeUndefined();
      expect([...(response.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    });

    it('writes one row per case the caller reaches, with the columns a leader reads', async () => {
      const [header, ...rows] = rowsOf(await csv(county.leader).expect(200));
      expect(header.slice(0, 6)).toEqual(['id', 'title (标题)', 'category (类别)', 'unit (单位)', 'subject (问责对象)', 'state (状态)']);
      expect(rows.map((r) => r[0]).sort()).toEqual(Object.values(c).sort());
      const row = (id: string) => Object.fromEntries(header.map((name, i) => [name.split(' (')[0], rows.find((r) => r[0] === id)![i]]));
      expect(row(c.c1)).toMatchObject({
        title: '扶贫项目资金拨付',
        unit: '县纪委 County',
        outcome: 'tolerate',
        'days to decision': '1',
        overridden: 'false',
      });
      expect(row(c.c2)).toMatchObject({ outcome: 'correct', 'recommended outcome': 'tolerate', overridden: 'true', intent: 'negligent' });
      expect(row(c.c3)).toMatchObject({
        outcome: 'correct',
        appealed: 'true',
        'appeal decision': 'revise',
        state: 'correcting',
        'days to decision': '3',
      });
      expect(row(c.c4)).toMatchObject({ unit: '乡镇 Town', subject: town.cadre.username, 'appeal decision': 'uphold' });
      expect(row(c.c5)).toMatchObject({ state: 'awaitingExplanation', overdue: 'true', 'next deadline': EXPLANATION_DUE, decided: '' });
    });

    it('quotes per RFC 4180 and turns a formula into text', async () => {
      const response = await csv(county.leader, { category: 'procurement' }).expect(200);
      expect((response.body as Buffer).toString('utf8')).toContain(`"'=SUM(1,2) ""引号""\n第二行"`);
      const rows = rowsOf(response);
      expect(rows.slice(1).find((r) => r[0] === c.c6)?.[1]).toBe(`'${TRICKY_TITLE}`);
      expect(rows).toHaveLength(4); // header + c1, c3, c6
    });

    it('takes the filters and order of GET /cases, walking chunk by chunk', async () => {
      const listed = await t.http.get('/cases').query({ sort: 'createdAt', pageSize: 100 }).set(auth(county.leader)).expect(200);
      const exporter = t.app.get(CaseExportService);
      exporter.chunkSize = 2; // five cases share one opening instant: the id must carry the walk across chunks
      try {
        const rows = rowsOf(await csv(county.leader, { sort: 'createdAt' }).expect(200));
        expect(rows.slice(1).map((r) => r[0])).toEqual(listed.body.items.map((item: { id: string }) => item.id));
        const decided = rowsOf(await csv(county.leader, { sort: '-decidedAt' }).expect(200));
        expect(decided.slice(1).map((r) => r[0])).toEqual([c.c4, c.c3, c.c2, c.c1, ...[c.c5, c.c6].sort()]);
      } finally {
        exporter.chunkSize = 500;
      }
    });

    it('is for leaders and admins, within their scope', async () => {
      for (const user of [county.cadre, county.officer]) {
        expectRefusal(await t.http.get('/reports/cases.csv').set(auth(user)), 403);
      }
      expect(rowsOf(await csv(sibling.leader, { unitId: county.officer.unitId }).expect(200))).toHaveLength(1); // the header alone
      expect(rowsOf(await csv(admin).expect(200))).toHaveLength(7);
      expectRefusal(await t.http.get('/reports/cases.csv').query({ sort: 'title' }).set(auth(county.leader)), 400, 'sort:');
    });
  });

  it('describes both routes and the list’s new parameters in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const names = (path: string) => (doc.paths[path].get.parameters as Array<{ name: string }>).map((p) => p.name);
    expect(names('/reports/summary')).toEqual(expect.arrayContaining(['from', 'to', 'unitId']));
    expect(names('/reports/cases.csv')).toEqual(expect.arrayContaining(['q', 'overdue', 'openedFrom', 'sort']));
    expect(names('/reports/cases.csv')).not.toContain('page');
    expect(names('/cases')).toEqual(
      expect.arrayContaining(['unitId', 'category', 'overdue', 'q', 'decidedTo', 'occurredFrom', 'sort', 'page']),
    );
  });
});
