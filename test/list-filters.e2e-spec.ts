import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Cast, createCast, openCase } from './support/case-actors.js';
import { decidedCase, EXPLANATION_DUE, justAfter, START, startQuietApp } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { auth, type TestApp, type TestUser } from './support/test-app.js';

interface ListBody {
  items: Array<{ id: string; title: string; createdAt: string; updatedAt: string; decidedAt: string | null; occurredAt: string }>;
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The list filters of GET /cases (issue 5). Units: county → towns A1, A2; a sibling county B. Cases are
 * opened one hour apart from START, so their order by opening is known.
 */
describe('GET /cases filters, search and sorting', () => {
  let t: TestApp;
  let county: Cast;
  let townA1: Cast;
  let townA2: Cast;
  let sibling: Cast;
  let ids: Record<string, string>;
  const HOUR = 3600 * 1000;

  const list = async (user: TestUser, query: Record<string, string | number | boolean>): Promise<ListBody> =>
    (await t.http.get('/cases').query(query).set(auth(user)).expect(200)).body as ListBody;
  const titles = (body: ListBody) => body.items.map((item) => item.title);

  beforeAll(async () => {
    t = await startQuietApp();
    const countyId = await t.createUnit('County');
    const a1 = await t.createUnit('Town A1', countyId);
    const a2 = await t.createUnit('Town A2', countyId);
    const b = await t.createUnit('County B');
    [county, townA1, townA2, sibling] = [
      await createCast(t, countyId),
      await createCast(t, a1),
      await createCast(t, a2),
      await createCast(t, b),
    ];
    const open = async (key: string, cast: Cast, body: Record<string, unknown>) => {
      const opened = await openCase(t, cast, body);
      t.clock.advance(HOUR);
      return [key, opened.id] as const;
    };
    ids = Object.fromEntries([
      await open('subsidy', townA1, {
        title: '扶贫项目资金拨付延误',
        description: '乡镇扶贫资金未按时拨付。',
        category: 'finance',
        occurredAt: '2026-03-15',
      }),
      await open('budget', townA2, {
        title: 'Pilot BUDGET overrun',
        description: 'Spent 12% over.',
        category: 'procurement',
        occurredAt: '2026-03-20T10:00:00+08:00',
      }),
      await open('percent', townA2, {
        title: 'Discount of 50% granted',
        description: 'A 100% refund under_review.',
        category: 'procurement',
        occurredAt: '2026-02-01',
      }),
      await open('countyCase', county, {
        title: 'County road tender',
        description: '县道招标程序问题。',
        category: 'finance',
        occurredAt: '2026-01-10',
      }),
      await open('elsewhere', sibling, {
        title: '扶贫项目资金 elsewhere',
        description: 'Sibling county.',
        category: 'finance',
        occurredAt: '2026-03-15',
      }),
    ]);
  });
  afterAll(() => t.stop());

  it('narrows to a unit and its sub-units, inside the caller’s scope only', async () => {
    expect(titles(await list(county.leader, {}))).toEqual([
      'County road tender',
      'Discount of 50% granted',
      'Pilot BUDGET overrun',
      '扶贫项目资金拨付延误',
    ]);
    const a2 = await list(county.leader, { unitId: townA2.officer.unitId });
    expect({ total: a2.total, titles: titles(a2) }).toEqual({ total: 2, titles: ['Discount of 50% granted', 'Pilot BUDGET overrun'] });
    // A sibling county, or a unit above the caller's: never wider than the caller's own scope.
    expect(await list(county.leader, { unitId: sibling.officer.unitId })).toMatchObject({ total: 0, items: [] });
    expect((await list(townA1.leader, { unitId: t.rootUnitId })).total).toBe(1);
    expect(await list(sibling.leader, { unitId: townA1.officer.unitId })).toMatchObject({ total: 0, items: [] });
  });

  it('lets a cadre narrow their own cases by unit, and nothing more', async () => {
    expect((await list(townA1.cadre, { unitId: townA1.officer.unitId })).total).toBe(1);
    expect((await list(townA1.cadre, { unitId: townA2.officer.unitId })).total).toBe(0);
  });

  it('filters by category and counts the whole match, not the page', async () => {
    const page = await list(county.leader, { category: 'finance', pageSize: 1, page: 2 });
    expect({ total: page.total, titles: titles(page) }).toEqual({ total: 2, titles: ['扶贫项目资金拨付延误'] });
  });

  it('finds a substring of title or description, in Chinese and regardless of case', async () => {
    expect(titles(await list(county.leader, { q: '项目资金' }))).toEqual(['扶贫项目资金拨付延误']);
    expect(titles(await list(county.leader, { q: '扶贫' }))).toEqual(['扶贫项目资金拨付延误']); // two characters: no trigram
    expect(titles(await list(county.leader, { q: 'budget' }))).toEqual(['Pilot BUDGET overrun']);
    expect(titles(await list(county.leader, { q: '招标程序' }))).toEqual(['County road tender']); // description
    expect(titles(await list(sibling.leader, { q: '项目资金' }))).toEqual(['扶贫项目资金 elsewhere']);
    expect((await list(county.leader, { q: '项目资金 nothing' })).total).toBe(0);
  });

  it('takes % and _ in q literally', async () => {
    expect(titles(await list(county.leader, { q: '%' }))).toEqual(['Discount of 50% granted', 'Pilot BUDGET overrun']); // "12%" in its description
    expect(titles(await list(county.leader, { q: '0% g' }))).toEqual(['Discount of 50% granted']);
    expect(titles(await list(county.leader, { q: 'under_re' }))).toEqual(['Discount of 50% granted']);
    expect((await list(county.leader, { q: '_' })).total).toBe(1);
  });

  it('filters on when the conduct occurred, half-open, dates and date-times alike', async () => {
    // 2026-03-20T10:00+08:00 is 02:00 UTC on the 20th.
    const march = await list(county.leader, { occurredFrom: '2026-03-15', occurredTo: '2026-03-20T02:00:00Z' });
    expect(titles(march)).toEqual(['扶贫项目资金拨付延误']);
    expect(titles(await list(county.leader, { occurredFrom: '2026-03-20T02:00:00Z' }))).toEqual(['Pilot BUDGET overrun']);
  });

  it('filters on the opening time, from inclusive and to exclusive', async () => {
    const second = new Date(START.getTime() + HOUR).toISOString();
    const third = new Date(START.getTime() + 2 * HOUR).toISOString();
    expect(titles(await list(county.leader, { openedFrom: second, openedTo: third }))).toEqual(['Pilot BUDGET overrun']);
  });

  it('sorts by opening, oldest first when asked, and pages without overlap', async () => {
    expect(titles(await list(county.leader, { sort: 'createdAt' }))).toEqual([
      '扶贫项目资金拨付延误',
      'Pilot BUDGET overrun',
      'Discount of 50% granted',
      'County road tender',
    ]);
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      seen.push(...titles(await list(county.leader, { sort: 'occurredAt', pageSize: 1, page })));
    }
    expect(seen).toEqual(['County road tender', 'Discount of 50% granted', '扶贫项目资金拨付延误', 'Pilot BUDGET overrun']);
  });

  it('flags overdue cases by their open deadlines at the clock’s now', async () => {
    expect((await list(county.leader, { overdue: true })).total).toBe(0);
    t.clock.set(justAfter(EXPLANATION_DUE)); // every explanation deadline has passed; nothing swept
    expect((await list(county.leader, { overdue: true })).total).toBe(4);
    const fresh = await openCase(t, townA1, { title: 'Opened after the others' });
    const notOverdue = await list(county.leader, { overdue: false });
    expect(notOverdue.items.map((item) => item.id)).toEqual([fresh.id]);
    await t.http.post(`/cases/${ids.subsidy}/explanation`).set(auth(townA1.cadre)).send({ statement: 'Late, but here.' }).expect(200);
    expect((await list(county.leader, { overdue: true })).total).toBe(3);
  });

  it('filters and sorts by decision time, undecided cases last', async () => {
    t.clock.set(new Date('2026-02-02T09:00:00.000Z'));
    const first = await decidedCase(t, townA2, 'tolerate');
    t.clock.advance(24 * HOUR);
    const second = await decidedCase(t, townA2, 'correct');
    const byDecision = await list(townA2.leader, { sort: 'decidedAt' });
    expect(byDecision.items.slice(0, 2).map((item) => item.id)).toEqual([first.id, second.id]);
    expect(byDecision.items.slice(2).every((item) => item.decidedAt === null)).toBe(true);
    expect((await list(townA2.leader, { sort: '-decidedAt' })).items[0].id).toBe(second.id);
    const window = await list(townA2.leader, { decidedFrom: '2026-02-02', decidedTo: '2026-02-03' });
    expect(window.items.map((item) => item.id)).toEqual([first.id]);
    expect((await list(townA2.leader, { sort: '-updatedAt' })).items[0].id).toBe(second.id);
  });

  it.each([
    [{ sort: 'title' }, 'sort'],
    [{ overdue: 'yes' }, 'overdue'],
    [{ q: '' }, 'q'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ openedFrom: '2026-13-01' }, 'openedFrom'],
    [{ decidedTo: 'yesterday' }, 'decidedTo'],
    [{ occurredFrom: '2026-02-30' }, 'occurredFrom'],
    [{ unitId: 'town-a' }, 'unitId'],
    [{ category: '' }, 'category'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const response = await t.http.get('/cases').query(query).set(auth(county.leader));
    expectRefusal(response, 400, `${field}:`);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});
