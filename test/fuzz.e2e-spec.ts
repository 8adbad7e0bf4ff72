import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';

import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { caseAwaitingReview, createCast, openCase } from './support/case-actors.js';
import { decidedCase } from './support/case-life.js';
import {
  HOSTILE_BODIES,
  HOSTILE_MULTIPART,
  HOSTILE_PATH_VALUES,
  HOSTILE_QUERY_VALUES,
  HOSTILE_VALUES,
  pathsOf,
  pick,
  plausible,
  seeded,
  withRawValue,
} from './support/fuzz.js';
import { auth, TestApp } from './support/test-app.js';

/**
 * Hostile bodies to every POST, PUT and PATCH route of the live OpenAPI description (so routes added later are
 * covered without a change here), as each identity that gets past the route's role check and as nobody: deep
 * nesting, lone surrogates, NUL and control characters, numbers JavaScript cannot hold, prototype keys, wrong
 * types, long strings, malformed multipart, hostile path parameters. No answer may be a 5xx, nothing may be
 * logged as an error, a refused request may write nothing, and no prototype may be polluted. The requests are
 * drawn from a fixed seed, so every run sends the same ones.
 */
const SEED = 0x16;
const MUTATIONS_PER_IDENTITY = 16;
const IDENTITIES_PER_ROUTE = 2;

type Schema = Record<string, unknown>;
interface Operation {
  method: 'post' | 'put' | 'patch';
  path: string;
  json?: Schema;
  multipart: boolean;
}

const lines: Array<Record<string, unknown>> = [];
const t = await TestApp.start({ LOG_LEVEL: 'error' }, lines);
afterAll(() => t.stop());

// Something to aim at: cases in several states, a corrective action, a notification, the people of a case.
const cast = await createCast(t);
const adminToken = await t.adminToken();
const fresh = (await openCase(t, cast)).id;
const awaitingReview = (await caseAwaitingReview(t, cast)).id;
const corrected = (await decidedCase(t, cast, 'correct')).id;
const tolerated = (await decidedCase(t, cast, 'tolerate')).id;
const actionId = (
  await t.http.post(`/cases/${corrected}/corrective-actions`).set(auth(cast.officer)).send({ description: 'Submit a plan' }).expect(201)
).body.id as string;
const notifications = (await t.http.get('/me/notifications').set(auth(cast.cadre)).expect(200)).body as
  Array<{ id: string }> | { items: Array<{ id: string }> };
const notificationIds = (Array.isArray(notifications) ? notifications : notifications.items).map((n) => n.id);

const spec = (await t.http.get('/docs-json').expect(200)).body as {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema> };
};
const components = spec.components.schemas;
const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, methods]) =>
  (['post', 'put', 'patch'] as const)
    .filter((method) => methods[method])
    .map((method) => {
      const content = ((methods[method].requestBody as Schema | undefined)?.content ?? {}) as Record<string, { schema?: Schema }>;
      return { method, path, json: content['application/json']?.schema, multipart: 'multipart/form-data' in content };
    }),
);

/** Real ids by the resource a path parameter follows (`/cases/{id}` → cases); anything else a random UUID. */
const POOLS: Record<string, string[]> = {
  cases: [fresh, awaitingReview, corrected, tolerated],
  'corrective-actions': [actionId],
  users: [cast.cadre.id, cast.officer.id],
  notifications: notificationIds,
  units: [t.rootUnitId],
};
const OTHER_IDS = ['5f0b8e8e-3c1e-4c55-9a57-3f5a0f7f2a11'];
function fillPath(path: string, random: () => number, hostile?: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (!/^\{.+\}$/.test(segment)) {
        return segment;
      }
      if (hostile !== undefined) {
        return hostile;
      }
      const pool = POOLS[segments[i - 1]] ?? [];
      return pick(random, pool.length ? pool : OTHER_IDS);
    })
    .join('/');
}

/** Body ids a plausible body is built with, by field name. */
const IDS: Record<string, string> = { subjectId: cast.cadre.id, userId: cast.officer.id, unitId: t.rootUnitId, parentId: t.rootUnitId };

const IDENTITIES: Array<{ name: string; token: string }> = [
  { name: 'admin', token: adminToken },
  { name: 'officer', token: cast.officer.token },
  { name: 'assessor', token: cast.assessor.token },
  { name: 'cadre', token: cast.cadre.token },
  { name: 'leader', token: cast.leader.token },
  { name: 'otherLeader', token: cast.otherLeader.token },
];

/** Everything a command can write, in one read: a refused request must leave all of it as it was. */
const FOOTPRINT_SQL = `SELECT
  (SELECT COUNT(*) FROM cases) AS cases, (SELECT COALESCE(SUM(version), 0) FROM cases) AS versions,
  (SELECT COUNT(*) FROM audit_events) AS events, (SELECT COUNT(*) FROM users) AS users,
  (SELECT COUNT(*) FROM units) AS units, (SELECT COUNT(*) FROM conflicts) AS conflicts,
  (SELECT COUNT(*) FROM evidence) AS evidence, (SELECT COUNT(*) FROM corrective_actions) AS actions,
  (SELECT COUNT(*) FROM notifications) AS notifications, (SELECT COUNT(*) FROM deadlines) AS deadlines`;
const footprint = async (): Promise<string> =>
  JSON.stringify(Object.values((await t.app.get(UnitOfWork).run((manager) => runSql(manager, FOOTPRINT_SQL))).rows[0]).map(Number));

const prototypeNames = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  function: Object.getOwnPropertyNames(Function.prototype).sort(),
});
const pristine = prototypeNames();

describe('fuzz: hostile bodies to every POST/PUT/PATCH route of the OpenAPI description', () => {
  it('reads the routes from /docs-json', () => {
    // Enough to know the description was read, without naming the routes (others add theirs).
    expect(operations.length).toBeGreaterThanOrEqual(10);
    expect(operations.some((op) => op.multipart)).toBe(true);
  });

  describe.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s', (_name, op) => {
    const random = seeded(SEED ^ hash(`${op.method} ${op.path}`));
    const problems: string[] = [];
    beforeEach(() => {
      problems.length = 0;
    });

    /** Sends one request and checks the answer: never a 5xx; a refusal writes nothing. */
    async function attempt(
      who: string,
      path: string,
      send: (request: ReturnType<TestApp['http']['post']>) => Promise<Response>,
      what: string,
    ) {
      const before = await footprint();
      const request = t.http[op.method](path);
      const response = await send(who === 'nobody' ? request : request.set(auth(IDENTITIES.find((i) => i.name === who)!.token)));
      const status = response.status;
      if (status >= 500 || status < 100) {
        problems.push(`${who}: ${status} for ${what} → ${JSON.stringify(response.body).slice(0, 200)}`);
      } else if (status >= 400 && (await footprint()) !== before) {
        problems.push(`${who}: refused with ${status} but wrote something, for ${what}`);
      }
      return status;
    }
    const json = (body: string) => (request: ReturnType<TestApp['http']['post']>) =>
      request.set('Content-Type', 'application/json').send(body);
    const describeBody = (body: string) => (body.length > 120 ? `${body.slice(0, 100)}… (${body.length} chars)` : body);

    /** Identities that get past the route's role check (an empty body is refused after it, writing nothing). */
    async function reachers(): Promise<string[]> {
      const reached: string[] = [];
      for (const identity of IDENTITIES) {
        const status = await attempt(identity.name, fillPath(op.path, random), json('{}'), 'an empty object');
        if (status !== 401 && status !== 403) {
          reached.push(identity.name);
        }
      }
      return reached.length ? reached.slice(0, IDENTITIES_PER_ROUTE) : ['officer', 'admin'];
    }

    it('never answers a hostile JSON body with a 5xx, and a refusal writes nothing', async () => {
      const base = op.json ? plausible(op.json, components, '', IDS, t.clock.now().toISOString()) : {};
      const baseObject = typeof base === 'object' && base !== null ? base : {};
      const paths = [...pathsOf(baseObject), ['__proto__'], ['constructor'], ['prototype'], ['unexpected'], ...nestedNewKeys(baseObject)];
      for (const who of ['nobody', ...(await reachers())]) {
        for (const body of [...HOSTILE_BODIES, JSON.stringify(baseObject)]) {
          await attempt(who, fillPath(op.path, random), json(body), describeBody(body));
        }
        if (who === 'nobody') {
          continue;
        }
        for (let i = 0; i < MUTATIONS_PER_IDENTITY; i++) {
          const body = withRawValue(baseObject, pick(random, paths), pick(random, HOSTILE_VALUES));
          await attempt(who, fillPath(op.path, random), json(body), describeBody(body));
        }
      }
      expect(problems).toEqual([]);
    });

    if (op.path.includes('{')) {
      it('never answers a hostile path parameter with a 5xx', async () => {
        const [who] = await reachers();
        const body = JSON.stringify(op.json ? plausible(op.json, components, '', IDS, t.clock.now().toISOString()) : {});
        for (const value of HOSTILE_PATH_VALUES) {
          await attempt(who, fillPath(op.path, random, value), json(body), `path parameter ${value.slice(0, 40)}`);
        }
        expect(problems).toEqual([]);
      });
    }

    if (op.multipart) {
      it('never answers a malformed or hostile multipart body with a 5xx, and a refusal writes nothing', async () => {
        for (const who of ['nobody', ...(await reachers())]) {
          for (const [contentType, body] of HOSTILE_MULTIPART) {
            await attempt(
              who,
              fillPath(op.path, random),
              (request) => request.set('Content-Type', contentType).send(body),
              `${contentType}: ${describeBody(String(body))}`,
            );
          }
        }
        expect(problems).toEqual([]);
      });
    }
  });

  const queries = Object.entries(spec.paths).flatMap(([path, methods]) => {
    const names = ((methods.get?.parameters ?? []) as Array<{ name: string; in: string }>)
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    return names.length ? [[`GET ${path}`, path, names] as const] : [];
  });
  it.each(queries)('%s: never answers a hostile query parameter with a 5xx', async (_name, path, names) => {
    const random = seeded(SEED ^ hash(path));
    const problems: string[] = [];
    for (const identity of IDENTITIES) {
      const values = [...names.map((name) => [name, pick(random, HOSTILE_QUERY_VALUES)]), ...names.map((name) => [name, 'a', name, 'b'])];
      for (const [name, value, again, second] of [...values, ['__proto__', 'x'], ['constructor', 'x'], ['__proto__[polluted]', 'true']]) {
        const query = `${name}=${value}${again ? `&${again}=${second}` : ''}`;
        const response = await t.http.get(`${fillPath(path, random)}?${query}`).set(auth(identity.token));
        if (response.status >= 500) {
          problems.push(`${identity.name}: ${response.status} for ?${query.slice(0, 80)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('polluted no prototype and logged no error', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeNames()).toEqual(pristine);
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});

/** New keys one level down, inside each object of the plausible body (`conditions.__proto__`, …). */
function nestedNewKeys(body: object): string[][] {
  return pathsOf(body)
    .filter((path) => {
      let value: unknown = body;
      for (const key of path) {
        value = (value as Record<string, unknown>)[key];
      }
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    })
    .flatMap((path) => [
      [...path, 'constructor'],
      [...path, 'prototype'],
      [...path, '__proto__'],
    ]);
}

/** A stable number from a route's name, so each route draws its own sequence from the seed. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}
