import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { loadConfig } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { createCast, openCase } from './support/case-actors.js';
import { auth, TestApp, TOLERABLE_ASSESSMENT } from './support/test-app.js';

const DEFAULT_POLICY = JSON.parse(readFileSync('config/policies/default-v1.json', 'utf8')) as Record<string, unknown>;

function policyDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'case-review-policies-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('start-up and policy files', () => {
  const cleanup: string[] = [];
  afterEach(() => cleanup.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('refuses to start on an invalid policy file, naming the file and the field', async () => {
    const dir = policyDir({
      'broken.json': { ...DEFAULT_POLICY, deadlines: { ...(DEFAULT_POLICY.deadlines as object), review: 'ten days' } },
    });
    cleanup.push(dir);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'db.sqlite'), POLICY_DIR: dir, LOG_LEVEL: 'silent' });
    await expect(createApp(config)).rejects.toThrow(/broken\.json: deadlines\.review/);
  });

  it('refuses to start without a readable, valid holiday calendar, naming HOLIDAY_CALENDAR', async () => {
    const calendar = JSON.parse(readFileSync('config/calendar/cn-official.json', 'utf8')) as Record<string, unknown>;
    const dir = policyDir({ 'bad-date.json': { ...calendar, workdays: { '2026-02-31': 'x' } }, 'not-json.json': '{' });
    cleanup.push(dir);
    const start = (file: string) =>
      createApp(
        loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'db.sqlite'), HOLIDAY_CALENDAR: join(dir, file), LOG_LEVEL: 'silent' }),
      );
    await expect(start('absent.json')).rejects.toThrow(/^HOLIDAY_CALENDAR: .*absent\.json: cannot read the file \(ENOENT\)$/);
    await expect(start('not-json.json')).rejects.toThrow(/^HOLIDAY_CALENDAR: .*not-json\.json: not valid JSON/);
    await expect(start('bad-date.json')).rejects.toThrow(
      /^HOLIDAY_CALENDAR: .*bad-date\.json: workdays\.2026-02-31: invalid date "2026-02-31"/,
    );
  });

  it('names the reason too, for a bad file of any jurisdiction, not only the default one', async () => {
    const pilot = JSON.parse(readFileSync('config/policies/pilot-zone-v1.json', 'utf8')) as { rules: Array<Record<string, unknown>> };
    const rules = pilot.rules.map((rule, i) => (i === 2 ? { ...rule, when: { fact: 'luck', equals: true } } : rule));
    const dir = policyDir({ 'default-v1.json': DEFAULT_POLICY, 'pilot-zone-v1.json': { ...pilot, rules } });
    cleanup.push(dir);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'db.sqlite'), POLICY_DIR: dir, LOG_LEVEL: 'silent' });
    await expect(createApp(config)).rejects.toThrow(`${join(dir, 'pilot-zone-v1.json')}: rules[2].when.fact: unknown fact "luck"`);
  });

  it('names file, field and reason for a bad value', async () => {
    const dir = policyDir({ 'default-v1.json': { ...DEFAULT_POLICY, effectiveFrom: '2026-02-30' } });
    cleanup.push(dir);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'db.sqlite'), POLICY_DIR: dir, LOG_LEVEL: 'silent' });
    await expect(createApp(config)).rejects.toThrow(
      `${join(dir, 'default-v1.json')}: effectiveFrom: invalid date "2026-02-30" (expected YYYY-MM-DD)`,
    );
  });

  it('refuses to start when DEFAULT_POLICY names an id no file has, or a version is defined twice', async () => {
    const dir = policyDir({ 'a.json': DEFAULT_POLICY, 'b.json': DEFAULT_POLICY });
    cleanup.push(dir);
    const base = { NODE_ENV: 'test', DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' };
    await expect(createApp(loadConfig({ ...base, DEFAULT_POLICY: 'atlantis' }))).rejects.toThrow(
      'DEFAULT_POLICY: no policy with id "atlantis" was loaded',
    );
    await expect(createApp(loadConfig({ ...base, POLICY_DIR: dir }))).rejects.toThrow('policy default version 1 is defined twice');
  });

  it('refuses to start when open cases pin a policy version that is no longer loaded', async () => {
    const t = await TestApp.start();
    const cast = await createCast(t);
    await openCase(t, cast);
    await t.app.close();
    const onlyV2 = policyDir({ 'default-v2.json': { ...DEFAULT_POLICY, version: 2 } });
    cleanup.push(onlyV2, t.dataDir);
    const config = loadConfig({ NODE_ENV: 'test', ...t.database.env, POLICY_DIR: onlyV2, LOG_LEVEL: 'silent' });
    await expect(createApp(config)).rejects.toThrow('open cases pin policy versions that are not loaded: default v1');
    await t.database.drop();
  });

  it('refuses an exclusion that is not on the pinned policy’s negative list', async () => {
    const narrow = policyDir({
      'default-v1.json': { ...DEFAULT_POLICY, negativeList: ['dereliction', 'arbitrary-decision'] },
    });
    cleanup.push(narrow);
    const t = await TestApp.start({ POLICY_DIR: narrow });
    try {
      const cast = await createCast(t);
      const opened = await openCase(t, cast);
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'Statement.' }).expect(200);
      const refused = await t.http
        .post(`/cases/${opened.id}/assessment`)
        .set(auth(cast.assessor))
        .send({ ...TOLERABLE_ASSESSMENT, exclusions: ['major-accident'] })
        .expect(422);
      expect(refused.body.message).toContain('exclusions: not on the negative list of policy default v1: major-accident');
      const still = await t.http.get(`/cases/${opened.id}`).set(auth(cast.officer)).expect(200);
      expect(still.body).toMatchObject({ state: 'underAssessment', version: 2 });
    } finally {
      await t.stop();
    }
  });
});

describe('GET /cadres', () => {
  it('finds cadres of the caller’s unit and below, by name fragment', async () => {
    const t = await TestApp.start();
    try {
      const county = await t.createUnit('County');
      const township = await t.createUnit('Township', county);
      const sibling = await t.createUnit('Other county');
      const officer = await t.user(['officer'], county);
      const near = await t.user(['cadre'], township);
      const far = await t.user(['cadre'], sibling);
      await t.user(['leader'], township);
      const all = await t.http.get('/cadres').set(auth(officer)).expect(200);
      expect(all.body.map((c: { id: string }) => c.id)).toEqual([near.id]);
      expect(all.body[0]).toEqual({ id: near.id, username: near.username, displayName: near.username, unitId: township });
      const none = await t.http.get('/cadres?q=nobody').set(auth(officer)).expect(200);
      expect(none.body).toEqual([]);
      await t.http.get('/cadres').set(auth(near)).expect(403);
      const admin = await t.adminToken();
      const everyone = await t.http.get('/cadres').set(auth(admin)).expect(200);
      expect(everyone.body.map((c: { id: string }) => c.id).sort()).toEqual([near.id, far.id].sort());
    } finally {
      await t.stop();
    }
  });
});
