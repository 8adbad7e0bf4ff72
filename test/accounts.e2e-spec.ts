import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { createCast, openCase } from './support/case-actors.js';
import { expectRefusal } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, type TestUser } from './support/test-app.js';

const PASSWORD = 'password-for-tests'; // what TestApp.user() sets
const ACCOUNT_CACHE_MS = 1000; // the default

/**
 * Issue 16: accounts can be disabled, changed, reset and logged out, and a token stops speaking for an
 * account that changed. Measured before: a deleted user's token still read a case, a user demoted to cadre
 * in the database still opened a case, and a deleted user opening a case got a 500.
 */
describe('account lifecycle and revocation', () => {
  let t: TestApp;
  let admin: string;
  let caseId: string;
  let cadreId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.adminToken();
    const cast = await createCast(t);
    caseId = (await openCase(t, cast)).id;
    cadreId = cast.cadre.id;
  });
  afterAll(() => t.stop());

  const patch = (user: TestUser | string, body: Record<string, unknown>, as = admin) =>
    t.http
      .patch(`/users/${typeof user === 'string' ? user : user.id}`)
      .set(auth(as))
      .send(body);
  const openAbout = (user: TestUser) =>
    t.http
      .post('/cases')
      .set(auth(user))
      .send({ ...NEW_CASE, subjectId: cadreId });

  describe('changes made in the database (another instance, or by hand) apply within ACCOUNT_CACHE_MS', () => {
    it('a deleted user’s token no longer reads a case, and opening one is a 401, not a 500', async () => {
      const officer = await t.user(['officer']);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
      await t.database.query('DELETE FROM users WHERE id = ?', officer.id);
      t.clock.advance(ACCOUNT_CACHE_MS);
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'the account no longer exists');
      expectRefusal(await openAbout(officer), 401, 'the account no longer exists');
    });

    it('a user demoted to cadre in the database can no longer open a case', async () => {
      const officer = await t.user(['officer']);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
      await t.database.query('UPDATE users SET roles = ? WHERE id = ?', '["cadre"]', officer.id);
      t.clock.advance(ACCOUNT_CACHE_MS);
      expectRefusal(await openAbout(officer), 401, 'roles or unit changed');
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('disables an account: its tokens stop at once, it cannot log in, and enabling it again works', async () => {
      const officer = await t.user(['officer']);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
      const disabled = await patch(officer, { disabled: true }).expect(200);
      expect(disabled.body).toMatchObject({ id: officer.id, disabled: true, mustChangePassword: false });
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'the account is disabled');
      expectRefusal(await t.http.post('/auth/login').send({ username: officer.username, password: PASSWORD }), 401, 'disabled');
      await patch(officer, { disabled: false }).expect(200);
      // Enabling does not bring the old tokens back: they were revoked with the account's sessions.
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'revoked');
      await t.http
        .get(`/cases/${caseId}`)
        .set(auth(await t.login(officer.username, PASSWORD)))
        .expect(200);
    });

    it('changes roles and unit: the old token stops at once, a new login carries the new ones', async () => {
      const officer = await t.user(['officer']);
      const unit = await t.createUnit('Elsewhere');
      const changed = await patch(officer, { roles: ['cadre'], unitId: unit, displayName: 'Moved' }).expect(200);
      expect(changed.body).toMatchObject({ roles: ['cadre'], unitId: unit, displayName: 'Moved' });
      expectRefusal(await openAbout(officer), 401, 'revoked');
      const fresh = await t.http.post('/auth/login').send({ username: officer.username, password: PASSWORD }).expect(200);
      expect(fresh.body.user).toMatchObject({ roles: ['cadre'], unitId: unit });
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(fresh.body.accessToken)), 404);
    });

    it('keeps sessions when only the display name changes', async () => {
      const officer = await t.user(['officer']);
      await patch(officer, { displayName: 'Renamed' }).expect(200);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
    });

    it('refuses what would break the directory, and non-admins', async () => {
      const officer = await t.user(['officer']);
      const me = (await t.http.get('/users').set(auth(admin)).expect(200)).body.find((u: { username: string }) => u.username === 'admin');
      expectRefusal(await patch(me.id, { disabled: true }), 422, 'disabled: you cannot disable your own account');
      expectRefusal(await patch(me.id, { roles: ['leader'] }), 422, 'roles:');
      expectRefusal(await patch(officer, { roles: ['admin', 'officer'] }), 422, 'roles: admin cannot be combined');
      expectRefusal(await patch(officer, { unitId: '00000000-0000-4000-8000-000000000000' }), 422, 'unitId: no such unit');
      expectRefusal(await patch(officer, {}), 400, 'body');
      expectRefusal(await patch(officer, { disabled: 'yes' }), 400, 'disabled');
      expectRefusal(await patch('00000000-0000-4000-8000-000000000000', { disabled: true }), 404);
      expectRefusal(await patch(officer, { disabled: true }, officer.token), 403, 'admin');
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the token it is sent with, at once; the account’s other sessions go on', async () => {
      const officer = await t.user(['officer']);
      const second = await t.login(officer.username, PASSWORD);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
      await t.http.post('/auth/logout').set(auth(officer)).expect(204);
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'the token was revoked (logout)');
      expectRefusal(await t.http.post('/auth/logout').set(auth(officer)), 401);
      await t.http.get(`/cases/${caseId}`).set(auth(second)).expect(200);
      await t.http
        .get(`/cases/${caseId}`)
        .set(auth(await t.login(officer.username, PASSWORD)))
        .expect(200);
    });
  });

  describe('POST /me/password', () => {
    it('changes the password: older tokens stop, the answer carries a new one', async () => {
      const officer = await t.user(['officer']);
      const next = 'lantern-orchard-velvet-42';
      const changed = await t.http
        .post('/me/password')
        .set(auth(officer))
        .send({ currentPassword: PASSWORD, newPassword: next })
        .expect(200);
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'revoked');
      await t.http.get(`/cases/${caseId}`).set(auth(changed.body.accessToken)).expect(200);
      expectRefusal(await t.http.post('/auth/login').send({ username: officer.username, password: PASSWORD }), 401);
      await t.login(officer.username, next);
    });

    it('refuses a wrong current password and a weak or username-derived new one, changing nothing', async () => {
      const officer = await t.user(['officer']);
      const change = (body: Record<string, unknown>) => t.http.post('/me/password').set(auth(officer)).send(body);
      const wrong = await change({ currentPassword: 'not-the-password', newPassword: 'lantern-orchard-velvet-42' });
      expectRefusal(wrong, 422, 'currentPassword: is not your current password');
      expect(wrong.body.fields).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
      expectRefusal(await change({ currentPassword: PASSWORD, newPassword: 'password1234' }), 422, /^newPassword: is too easy to guess/);
      expectRefusal(
        await change({ currentPassword: PASSWORD, newPassword: `${officer.username}-forever` }),
        422,
        'newPassword: must not contain the username',
      );
      expectRefusal(await change({ currentPassword: PASSWORD, newPassword: PASSWORD }), 422, 'newPassword: must differ');
      expectRefusal(await change({ currentPassword: PASSWORD, newPassword: 'short' }), 400, 'newPassword');
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
      await t.login(officer.username, PASSWORD);
    });
  });

  describe('POST /users/:id/reset-password', () => {
    it('gives a one-time password the account must change before doing anything else', async () => {
      const officer = await t.user(['officer']);
      const reset = await t.http.post(`/users/${officer.id}/reset-password`).set(auth(admin)).expect(200);
      expect(reset.body).toMatchObject({ user: { id: officer.id, mustChangePassword: true }, temporaryPassword: expect.any(String) });
      const temporary = reset.body.temporaryPassword as string;
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(officer)), 401, 'revoked');
      expectRefusal(await t.http.post('/auth/login').send({ username: officer.username, password: PASSWORD }), 401);
      const login = await t.http.post('/auth/login').send({ username: officer.username, password: temporary }).expect(200);
      expect(login.body.user.mustChangePassword).toBe(true);
      const token = login.body.accessToken as string;
      expectRefusal(await t.http.get(`/cases/${caseId}`).set(auth(token)), 403, 'change it first');
      expect((await t.http.get(`/cases/${caseId}`).set(auth(token))).body.refusal).toBe('PASSWORD_CHANGE_REQUIRED');
      const changed = await t.http
        .post('/me/password')
        .set(auth(token))
        .send({ currentPassword: temporary, newPassword: 'lantern-orchard-velvet-42' })
        .expect(200);
      expect(changed.body.user.mustChangePassword).toBe(false);
      await t.http.get(`/cases/${caseId}`).set(auth(changed.body.accessToken)).expect(200);
    });

    it('is for admins only, and answers 404 for an unknown user', async () => {
      const officer = await t.user(['officer']);
      expectRefusal(await t.http.post(`/users/${officer.id}/reset-password`).set(auth(officer)), 403);
      expectRefusal(await t.http.post('/users/00000000-0000-4000-8000-000000000000/reset-password').set(auth(admin)), 404);
      await t.http.get(`/cases/${caseId}`).set(auth(officer)).expect(200);
    });
  });
});
