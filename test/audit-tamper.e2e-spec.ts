import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { canonicalJson, hashEvent } from '../src/audit/hash-chain.js';
import { caseAwaitingReview, type Cast, createCast } from './support/case-actors.js';
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

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    for (const id of [(tampered = (await caseAwaitingReview(t, cast)).id), (untouched = (await caseAwaitingReview(t, cast)).id)]) {
      await t.http.post(`/cases/${id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    }
  });
  afterAll(() => t.stop());

  const verify = async (id: string) => (await t.http.get(`/cases/${id}/audit/verify`).set(auth(cast.officer)).expect(200)).body;
  const dataOf = async (id: string, seq: number) =>
    (await t.database.query<{ data: string }>('SELECT data FROM audit_events WHERE case_id = ? AND seq = ?', id, seq)).rows[0].data;

  it('starts intact: four events, valid chain, replay matches', async () => {
    expect(await verify(tampered)).toMatchObject({ valid: true, length: 4, firstInvalidSeq: null, replay: { matches: true } });
  });

  it('refuses a plain UPDATE or DELETE of an audit event at the database level', async () => {
    const original = await dataOf(tampered, 2);
    await expect(t.database.query("UPDATE audit_events SET data = '{}' WHERE case_id = ? AND seq = 2", tampered)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.database.query('DELETE FROM audit_events WHERE case_id = ? AND seq = 4', tampered)).rejects.toThrow(/append-only/);
    expect(await dataOf(tampered, 2)).toBe(original);
  });

  it('names the edited seq once the trigger is dropped and the data rewritten', async () => {
    await t.database.dropAuditTriggers();
    const data = JSON.parse(await dataOf(tampered, 2)) as { statement: string };
    expect(data.statement).toBe('I acted under the pilot mandate.');
    const forged = JSON.stringify({ ...data, statement: 'I was ordered to do it.' });
    const changed = await t.database.query('UPDATE audit_events SET data = ? WHERE case_id = ? AND seq = 2', forged, tampered);
    expect(changed.changes).toBe(1);

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
    await t.database.dropAuditTriggers();
    const [row] = (
      await t.database.query<Record<string, string | number>>('SELECT * FROM audit_events WHERE case_id = ? AND seq = 3', untouched)
    ).rows;
    const forged = { ...(JSON.parse(row.data as string) as object), assessment: 'rewritten' };
    const event = {
      caseId: untouched,
      seq: 3,
      type: row.type as string,
      actorId: row.actor_id as string,
      actorRole: row.actor_role as string,
      at: row.at as string,
      data: canonicalJson(forged),
      machineVersion: Number(row.machine_version),
      prevHash: row.prev_hash as string,
    };
    await t.database.query('UPDATE audit_events SET data = ?, hash = ? WHERE id = ?', event.data, hashEvent(event), row.id);
    expect(await verify(untouched)).toMatchObject({
      valid: false,
      length: 4,
      firstInvalidSeq: 4,
      replay: { matches: false, divergedAtSeq: 3, expected: 'well-formed data' },
    });
  });

  it('lets officers, leaders and admins verify, and nobody else', async () => {
    await t.http.get(`/cases/${untouched}/audit/verify`).set(auth(cast.leader)).expect(200);
    await t.http
      .get(`/cases/${untouched}/audit/verify`)
      .set(auth(await t.adminToken()))
      .expect(200);
    expectRefusal(await t.http.get(`/cases/${untouched}/audit/verify`).set(auth(cast.cadre)), 403);
    expectRefusal(await t.http.get(`/cases/${untouched}/audit/verify`), 401);
  });
});
