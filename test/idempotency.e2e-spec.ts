import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { IdempotencySweeper } from '../src/idempotency/idempotency-sweeper.js';
import { type Cast, createCast } from './support/case-actors.js';
import { expectRefusal } from './support/expectations.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, NEW_CASE, TestApp, type TestUser } from './support/test-app.js';
import { ENGINE } from './support/test-database.js';

/**
 * `Idempotency-Key` on the creating commands (issue 17): a client may retry after a network failure without
 * creating the resource twice.
 */
describe(`Idempotency-Key (${ENGINE})`, () => {
  let t: TestApp;
  let cast: Cast;
  let otherOfficer: TestUser;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    otherOfficer = await t.user(['officer']);
  });

  afterAll(async () => {
    await t.stop();
  });

  const open = (user: TestUser, key: string | null, title: string, extra: Record<string, unknown> = {}) => {
    const call = t.http.post('/cases').set(auth(user));
    return (key === null ? call : call.set('Idempotency-Key', key)).send({ ...NEW_CASE, subjectId: cast.cadre.id, title, ...extra });
  };
  const casesTitled = async (title: string) =>
    Number((await t.database.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM cases WHERE title = ?', title)).rows[0].n);
  const keysNamed = async (key: string) =>
    Number(
      (await t.database.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM idempotency_keys WHERE idempotency_key = ?', key)).rows[0]
        .n,
    );

  it('answers a retry with the first answer (status, body, Location, ETag) and writes nothing new', async () => {
    const first = await open(cast.officer, 'key-retry', 'retry').expect(201);
    const retry = await open(cast.officer, 'key-retry', 'retry').expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await casesTitled('retry')).toBe(1);
    expect(await keysNamed('key-retry')).toBe(1);
  });

  it('refuses the same key with a different body (422 naming the header) and writes nothing', async () => {
    await open(cast.officer, 'key-body', 'body one').expect(201);
    const refused = await open(cast.officer, 'key-body', 'body two');
    expectRefusal(refused, 422, 'Idempotency-Key');
    expect(await casesTitled('body two')).toBe(0);
  });

  it('keeps keys apart per user', async () => {
    const mine = await open(cast.officer, 'key-shared', 'per user').expect(201);
    const theirs = await open(otherOfficer, 'key-shared', 'per user').expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await casesTitled('per user')).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not printable', 'a\tb'],
  ])('refuses a key that is %s with a 400 naming the header', async (_what, key) => {
    const refused = await open(cast.officer, key, 'bad key');
    expectRefusal(refused, 400, 'Idempotency-Key');
    expect(await casesTitled('bad key')).toBe(0);
  });

  it('stores no key for a refused command, so the corrected retry runs', async () => {
    expectRefusal(await open(cast.officer, 'key-refused', 'refused first', { subjectId: cast.leader.id }), 422, 'subjectId');
    expect(await keysNamed('key-refused')).toBe(0);
    await open(cast.officer, 'key-refused', 'refused first').expect(201);
    expect(await casesTitled('refused first')).toBe(1);
  });

  it('runs one of two concurrent requests with the same key; the other gets 409 or the same answer', async () => {
    const answers = await Promise.all([open(cast.officer, 'key-race', 'race'), open(cast.officer, 'key-race', 'race')]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    if (statuses[1] === 201) {
      expect(answers[0].body.id).toBe(answers[1].body.id);
    } else {
      expectRefusal(
        answers.find((answer) => answer.status === 409)!,
        409,
        'Idempotency-Key',
      );
      expect(answers.find((answer) => answer.status === 409)!.body.refusal).toBe('IN_PROGRESS');
    }
    expect(await casesTitled('race')).toBe(1);
  });

  it('forgets a key after 24 hours: the sweep removes it and the same request runs again', async () => {
    const first = await open(cast.officer, 'key-expiry', 'expiry').expect(201);
    t.clock.advance(23 * 3600 * 1000);
    await t.app.get(IdempotencySweeper).runOnce();
    expect((await open(cast.officer, 'key-expiry', 'expiry').expect(201)).body.id).toBe(first.body.id);
    t.clock.advance(3600 * 1000 + 1);
    await t.app.get(IdempotencySweeper).runOnce();
    expect(await keysNamed('key-expiry')).toBe(0);
    const again = await open(cast.officer, 'key-expiry', 'expiry').expect(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(await casesTitled('expiry')).toBe(2);
  });

  it('answers a retried evidence upload with the first evidence, stored once', async () => {
    const opened = await open(cast.officer, null, 'evidence retry').expect(201);
    const upload = () =>
      t.http
        .post(`/cases/${opened.body.id}/evidence`)
        .set(auth(cast.officer))
        .set('Idempotency-Key', 'key-evidence')
        .attach('file', SAMPLES.pdf, 'a.pdf');
    const first = await upload().expect(201);
    const retry = await upload().expect(201);
    expect(retry.body).toEqual(first.body);
    const { rows } = await t.database.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM evidence WHERE case_id = ?', opened.body.id);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('answers a retried conflict declaration (回避) with the first answer instead of "already recorded"', async () => {
    const declare = () =>
      t.http
        .post('/conflicts')
        .set(auth(otherOfficer))
        .set('Idempotency-Key', 'key-conflict')
        .send({ userId: otherOfficer.id, subjectId: cast.cadre.id, reason: 'Former colleague.' });
    const first = await declare().expect(201);
    expect((await declare().expect(201)).body).toEqual(first.body);
    // Without the key the same declaration is a conflict: the retry above really was answered from the key.
    expectRefusal(
      await t.http
        .post('/conflicts')
        .set(auth(otherOfficer))
        .send({ userId: otherOfficer.id, subjectId: cast.cadre.id, reason: 'Former colleague.' }),
      409,
      'already recorded',
    );
  });

  it('covers the other creating commands: a unit and a user created once', async () => {
    const admin = await t.adminToken();
    const unit = () =>
      t.http.post('/units').set(auth(admin)).set('Idempotency-Key', 'key-unit').send({ name: 'Idempotent unit', parentId: t.rootUnitId });
    const firstUnit = await unit().expect(201);
    expect((await unit().expect(201)).body).toEqual(firstUnit.body);
    const units = await t.database.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM units WHERE name = 'Idempotent unit'");
    expect(Number(units.rows[0].n)).toBe(1);
    const user = () =>
      t.http
        .post('/users')
        .set(auth(admin))
        .set('Idempotency-Key', 'key-user')
        .send({
          username: 'idempotent-officer',
          password: 'password-for-tests',
          displayName: 'Once',
          roles: ['officer'],
          unitId: t.rootUnitId,
        });
    const firstUser = await user().expect(201);
    expect((await user().expect(201)).body).toEqual(firstUser.body);
  });
});
