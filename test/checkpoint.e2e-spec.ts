import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { headLeaf, merkleRoot } from '../src/audit/merkle.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { auditOf, decidedCase, START, startQuietApp } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { rewriteChain } from './support/tamper.js';
import { auth, type TestApp } from './support/test-app.js';

interface CheckpointBody {
  at: string;
  root: string;
  cases: number;
  events: number;
  algorithm: string;
}

/** Anchoring: a digest over every case's chain head; recomputed later as of the same instant, it must match. */
describe('audit checkpoint', () => {
  let t: TestApp;
  let cast: Cast;
  let admin: string;

  beforeAll(async () => {
    t = await startQuietApp();
    cast = await createCast(t);
    admin = await t.adminToken();
  });
  afterAll(() => t.stop());

  const checkpoint = async (asOf?: string, user: Cast[keyof Cast] | string = cast.leader) =>
    (
      await t.http
        .get('/audit/checkpoint')
        .query(asOf ? { asOf } : {})
        .set(auth(user))
        .expect(200)
    ).body as CheckpointBody;

  /** The root recomputed from the audit endpoint alone: what an outside checker would do. */
  async function rootFromTrails(caseIds: string[], at: string) {
    const heads = [];
    for (const id of [...caseIds].sort()) {
      const events = (await auditOf(t, cast.officer, id)).filter((e) => e.at <= at);
      const last = events.at(-1);
      if (last) {
        heads.push({ caseId: id, seq: last.seq, hash: last.hash });
      }
    }
    return merkleRoot(heads.map(headLeaf));
  }

  it('is the empty-tree hash before any case exists', async () => {
    expect(await checkpoint()).toMatchObject({ cases: 0, events: 0, root: merkleRoot([]) });
  });

  it('covers every case head, recomputes identically later, and exposes a rewrite made since', async () => {
    t.clock.set(START);
    const decided = await decidedCase(t, cast, 'tolerate');
    const opened = await openCase(t, cast);
    t.clock.advance(60_000);
    const stored = await checkpoint();
    expect(stored).toMatchObject({ cases: 2, events: 5 });
    expect(stored.algorithm).toMatch(/RFC 6962/);
    expect(stored.root).toBe(await rootFromTrails([decided.id, opened.id], stored.at));

    // Work goes on: the live checkpoint moves, the one as of the stored instant does not.
    t.clock.advance(60_000);
    await t.http.post(`/cases/${opened.id}/withdraw`).set(auth(cast.officer)).send({ reason: 'Unfounded.' }).expect(200);
    // A checkpoint covers events stamped strictly before its own millisecond.
    expect((await checkpoint()).events).toBe(5);
    t.clock.advance(1);
    const later = await checkpoint();
    expect(later.root).not.toBe(stored.root);
    expect(later.events).toBe(6);
    expect(await checkpoint(stored.at, admin)).toEqual(stored);

    // Someone rewrites the decided case's trail with valid hashes: the chain verifies, the checkpoint does not.
    await rewriteChain(t.database, decided.id, (events) =>
      events.map((e) => (e.type === 'review.approved' ? { ...e, data: { ...e.data, reason: 'backdated note' } } : e)),
    );
    expect((await t.http.get(`/cases/${decided.id}/audit/verify`).set(auth(cast.officer)).expect(200)).body.valid).toBe(true);
    expect((await checkpoint(stored.at)).root).not.toBe(stored.root);
  });

  it('is for leaders and admins only, and names a bad asOf', async () => {
    expectRefusal(await t.http.get('/audit/checkpoint').set(auth(cast.officer)), 403);
    expectRefusal(await t.http.get('/audit/checkpoint').set(auth(cast.cadre)), 403);
    expectRefusal(await t.http.get('/audit/checkpoint'), 401);
    expectRefusal(await t.http.get('/audit/checkpoint').query({ asOf: 'last week' }).set(auth(cast.leader)), 400, /asOf/);
    expectRefusal(await t.http.get('/audit/checkpoint').query({ asOf: '2026-W01' }).set(auth(cast.leader)), 400, /asOf/);
    const future = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expectRefusal(
      await t.http.get('/audit/checkpoint').query({ asOf: future }).set(auth(cast.leader)),
      400,
      'asOf: must not be later than now',
    );
  });
});
