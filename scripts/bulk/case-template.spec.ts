import { describe, expect, it } from '@jest/globals';

import { canonicalJson, GENESIS_HASH, hashCanonical, verifyChain } from '../../src/audit/hash-chain.js';
import { triggerPlan } from './bulk-writer.js';
import { compileTemplate, instantiate, type Row, type TemplateRows, WEEK_MS, weeksBackRange } from './case-template.js';

const CASE = '11111111-1111-4111-8111-111111111111';
const SUBJECT = '22222222-2222-4222-8222-222222222222';
const OFFICER = '33333333-3333-4333-8333-333333333333';
const EVENT_1 = '0190f000-0000-7000-8000-000000000001';
const EVENT_2 = '0190f000-0000-7000-8000-000000000002';
const TITLE = '桃源县柳营镇高标准农田建设项目超预算支出';
const DESCRIPTION = '经查，相关负责人主动担当。涉及金额约30000元。';
const OPENED = '2026-03-02T09:00:00.000Z';
const EXPLAINED = '2026-03-04T10:30:00.000Z';

/** Two chained events the way the service writes them (canonical data, hashed). */
function events(): Row[] {
  const rows: Row[] = [];
  let prevHash = GENESIS_HASH;
  const raw = [
    {
      id: EVENT_1,
      type: 'case.opened',
      at: OPENED,
      data: { subjectId: SUBJECT, title: TITLE, description: DESCRIPTION, occurredAt: '2026-02-15' },
    },
    { id: EVENT_2, type: 'explanation.submitted', at: EXPLAINED, data: { statement: `关于“${TITLE}”的说明`, evidenceIds: [] } },
  ];
  raw.forEach((e, index) => {
    const chained = {
      caseId: CASE,
      seq: index + 1,
      type: e.type,
      actorId: OFFICER,
      actorRole: 'officer',
      at: e.at,
      data: canonicalJson(e.data),
      machineVersion: 3,
      prevHash,
    };
    const hash = hashCanonical(chained);
    rows.push({
      id: e.id,
      case_id: CASE,
      seq: index + 1,
      type: e.type,
      actor_id: OFFICER,
      actor_role: 'officer',
      at: e.at,
      data: chained.data,
      machine_version: 3,
      prev_hash: prevHash,
      hash,
    });
    prevHash = hash;
  });
  return rows;
}

function template(): TemplateRows {
  return {
    caseId: CASE,
    title: TITLE,
    description: DESCRIPTION,
    tables: new Map<string, Row[]>([
      [
        'cases',
        [
          {
            id: CASE,
            subject_id: SUBJECT,
            title: TITLE,
            description: DESCRIPTION,
            occurred_at: '2026-02-15',
            created_at: OPENED,
            version: 2,
            overridden: 0,
          },
        ],
      ],
      ['audit_events', events()],
    ]),
  };
}

const NEW_SUBJECT = '44444444-4444-4444-8444-444444444444';
const chainOf = (rows: unknown[][], columns: string[]) =>
  rows.map((row) => {
    const get = (name: string) => row[columns.indexOf(name)];
    return {
      caseId: get('case_id') as string,
      seq: get('seq') as number,
      type: get('type') as string,
      actorId: get('actor_id') as string,
      actorRole: get('actor_role') as string,
      at: get('at') as string,
      data: get('data') as string,
      machineVersion: get('machine_version') as number,
      prevHash: get('prev_hash') as string,
      hash: get('hash') as string,
    };
  });

function cloneOnce() {
  let fresh = 0;
  return instantiate(compileTemplate(template()), {
    mapId: (id) =>
      id === SUBJECT ? NEW_SUBJECT : id === OFFICER ? OFFICER : `99999999-9999-4999-8999-${String(++fresh).padStart(12, '0')}`,
    shiftMs: -2 * WEEK_MS,
    title: '临江县荷塘村安置房分配审批程序倒置',
    description: '群众来信反映。涉及金额约120000元。',
  });
}

describe('bulk seed: cloning a template case', () => {
  it('gives the clone a new case id everywhere, maps people, moves every instant and date, swaps the title', () => {
    const clone = cloneOnce();
    const cases = clone.tables.find((t) => t.table === 'cases')!;
    const row = Object.fromEntries(cases.columns.map((c, i) => [c, cases.rows[0][i]]));
    expect(row.id).toBe(clone.caseId);
    expect(clone.caseId).not.toBe(CASE);
    expect(row).toMatchObject({
      subject_id: NEW_SUBJECT,
      title: '临江县荷塘村安置房分配审批程序倒置',
      occurred_at: '2026-02-01',
      created_at: '2026-02-16T09:00:00.000Z',
      version: 2,
      overridden: 0,
    });
    const audit = clone.tables.find((t) => t.table === 'audit_events')!;
    const text = JSON.stringify(audit.rows);
    expect(text).not.toContain(CASE);
    expect(text).not.toContain(SUBJECT);
    expect(text).not.toContain(TITLE);
    expect(text).toContain('\\"occurredAt\\":\\"2026-02-01\\"');
    expect(text).toContain('“临江县荷塘村安置房分配审批程序倒置”的说明');
    // Each distinct template id maps to one clone id, wherever it appears.
    const ids = audit.rows.map((r) => r[audit.columns.indexOf('id')]);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain(EVENT_1);
  });

  it('re-chains the clone: its events verify with the service hash chain', () => {
    const audit = cloneOnce().tables.find((t) => t.table === 'audit_events')!;
    const chain = chainOf(audit.rows, audit.columns);
    expect(verifyChain(chain)).toEqual({ valid: true, length: 2, firstInvalidSeq: null });
    expect(chain[0].prevHash).toBe(GENESIS_HASH);
  });

  it('a clone whose event is altered afterwards no longer verifies', () => {
    const audit = cloneOnce().tables.find((t) => t.table === 'audit_events')!;
    const chain = chainOf(audit.rows, audit.columns);
    chain[1] = { ...chain[1], data: chain[1].data.replace('说明', '声明') };
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstInvalidSeq: 2 });
  });

  it('moves a clone back only by whole weeks, never so far that a running deadline would expire', () => {
    const now = Date.parse('2026-11-22T00:00:00.000Z');
    const day = 24 * 3600 * 1000;
    // closed: anywhere within three years
    expect(weeksBackRange({ openedAt: now - 40 * day, openDueAt: null }, now, 3 * 365 * day, day)).toBe(Math.floor((3 * 365 - 40) / 7));
    // a deadline due in 20 days with a 1-day margin: at most 2 weeks back
    expect(weeksBackRange({ openedAt: now - 3 * day, openDueAt: now + 20 * day }, now, 120 * day, day)).toBe(2);
    // already due within the margin: stays where it is
    expect(weeksBackRange({ openedAt: now - 3 * day, openDueAt: now + 12 * 3600 * 1000 }, now, 120 * day, day)).toBe(0);
  });
});

describe('bulk seed: triggers during the load', () => {
  const loaded = ['cases', 'audit_events', 'deadlines', 'notifications'];

  it('pauses a trigger that only derives values inside loaded rows (next_due_at), noting what it reads', () => {
    const body =
      "BEGIN UPDATE cases SET next_due_at = (SELECT MIN(due_at) FROM deadlines WHERE case_id = NEW.case_id AND status = 'open') WHERE id = NEW.case_id; END";
    expect(triggerPlan(body, loaded)).toEqual({ pause: true, reads: ['deadlines'] });
  });

  it('keeps a trigger that writes outside the loaded tables (the search index) and a guard that writes nothing', () => {
    expect(
      triggerPlan('BEGIN INSERT INTO cases_search (rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description); END', loaded)
        .pause,
    ).toBe(false);
    expect(triggerPlan("BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END", loaded).pause).toBe(false);
    // The pair index (migration 1769200000000) computes its grams in a recursive CTE over the new row.
    const bigrams =
      "BEGIN INSERT INTO cases_bigrams (rowid, grams, unit) VALUES (NEW.rowid, (WITH RECURSIVE at(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM at WHERE n < 9) SELECT group_concat(substr(NEW.title, n, 2), ' ') FROM at), 'u' || replace(NEW.unit_id, '-', '')); END";
    expect(triggerPlan(bigrams, loaded).pause).toBe(false);
  });
});
