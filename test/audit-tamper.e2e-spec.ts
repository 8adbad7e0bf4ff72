import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { canonicalJson, hashEvent } from '../src/audit/hash-chain.js';
import { type Cast, caseAwaitingReview, createCast } from './support/case-actors.js';
import { expectRefusal } from './support/expectations.js';
import { auth, TestApp } from './support/test-app.js';

/**
 * Someone with access to the database file edits the trail behind the application's back. The append-only
 * trigger stops a plain UPDATE; once it is dropped, verify still names the edited event.
 */
describe('a tampered audit trail', () => {
  let t: TestApp;
  let cast: Cast;
  let tampered: string;
  let untouched: string;
  let db: Database.Database;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    for (const id of [(tampered = (await caseAwaitingReview(t, cast)).id), (untouched = (await caseAwaitingReview(t, cast)).id)]) {
      await t.http.post(`/cases/${id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    }
  });
  afterEach(() => {
    if (db?.open) {
      db.close();
    }
  });
  afterAll(() => t.stop());

  const verify = async (id: string) => (await t.http.get(`/cases/${id}/audit/verify`).set(auth(cast.officer)).expect(200)).body;
  const openFile = () => new Database(t.databasePath);
  const dataOf = (id: string, seq: number) =>
    (db.prepare('SELECT data FROM audit_events WHERE case_id = ? AND seq = ?').get(id, seq) as { data: string }).data;

  it('starts intact: four events, valid chain, replay matches', async () => {
    expect(await verify(tampered)).toMatchObject({ valid: true, length: 4, firstInvalidSeq: null, replay: { matches: true } });
  });

  it('refuses a plain UPDATE or DELETE of an audit event at the database level', () => {
    db = openFile();
    const original = dataOf(tampered, 2);
    expect(() => db.prepare("UPDATE audit_events SET data = '{}' WHERE case_id = ? AND seq = 2").run(tampered)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events WHERE case_id = ? AND seq = 4').run(tampered)).toThrow(/append-only/);
    expect(dataOf(tampered, 2)).toBe(original);
  });

  it('names the edited seq once the trigger is dropped and the data rewritten', async () => {
    db = openFile();
    db.exec('DROP TRIGGER audit_events_no_update');
    const data = JSON.parse(dataOf(tampered, 2)) as { statement: string };
    expect(data.statement).toBe('I acted under the pilot mandate.');
    const forged = JSON.stringify({ ...data, statement: 'I was ordered to do it.' });
    const changed = db.prepare('UPDATE audit_events SET data = ? WHERE case_id = ? AND seq = 2').run(forged, tampered);
    expect(changed.changes).toBe(1);
    db.close();

    // The chain breaks at the edited event; replay sees the stored explanation differ from the (forged) history.
    expect(await verify(tampered)).toMatchObject({
      valid: false,
      length: 4,
      firstInvalidSeq: 2,
      replay: { matches: false, field: 'explanation', expected: 'I was ordered to do it.', actual: 'I acted under the pilot mandate.' },
    });
    const trail = await t.http.get(`/cases/${tampered}/audit`).set(auth(cast.officer)).expect(200);
    expect(trail.body[1].data.statement).toBe('I was ordered to do it.');
    expect(await verify(untouched)).toMatchObject({ valid: true, length: 4, firstInvalidSeq: null, replay: { matches: true } });
  });

  it('shows the break at the next event when the forger also recomputes the edited event’s hash', async () => {
    db = openFile();
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update');
    const row = db.prepare('SELECT * FROM audit_events WHERE case_id = ? AND seq = 3').get(untouched) as Record<string, string | number>;
    const forged = { ...(JSON.parse(row.data as string) as object), assessment: 'rewritten' };
    const event = {
      caseId: untouched,
      seq: 3,
      type: row.type as string,
      actorId: row.actor_id as string,
      actorRole: row.actor_role as string,
      at: row.at as string,
      data: canonicalJson(forged),
      machineVersion: row.machine_version as number,
      prevHash: row.prev_hash as string,
    };
    db.prepare('UPDATE audit_events SET data = ?, hash = ? WHERE id = ?').run(event.data, hashEvent(event), row.id);
    db.close();
    expect(await verify(untouched)).toMatchObject({
      valid: false,
      length: 4,
      firstInvalidSeq: 4,
      replay: { matches: false, divergedAtSeq: 3, expected: 'well-formed data' },
    });
  });

  it('lets officers, leaders and admins verify, and nobody else', async () => {
    await t.http.get(`/cases/${untouched}/audit/verify`).set(auth(cast.leader)).expect(200);
    await t.http.get(`/cases/${untouched}/audit/verify`).set(auth(await t.adminToken())).expect(200);
    expectRefusal(await t.http.get(`/cases/${untouched}/audit/verify`).set(auth(cast.cadre)), 403);
    expectRefusal(await t.http.get(`/cases/${untouched}/audit/verify`), 401);
  });
});
