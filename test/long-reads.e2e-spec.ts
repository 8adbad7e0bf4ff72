import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';

import { ReadPool } from '../src/database/read-pool.js';
import { CaseExportService } from '../src/reports/case-export.service.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal } from './support/expectations.js';
import { auth, TestApp, type TestUser } from './support/test-app.js';
import { ENGINE } from './support/test-database.js';

interface ListBody {
  items: Array<{ id: string; title: string }>;
  total: number;
}

/**
 * Issue 16, "cheap requests stall everyone": 1–2 character search from an index, long reads (lists,
 * summary, CSV export) on reader threads within a time budget, commands answered meanwhile.
 */
describe('long reads: short search terms, reader threads, the read budget', () => {
  let t: TestApp;
  let county: Cast;
  let town: Cast;
  let sibling: Cast;
  const ids: Record<string, string> = {};

  const list = async (user: TestUser, query: Record<string, string | number>): Promise<ListBody> =>
    (await t.http.get('/cases').query(query).set(auth(user)).expect(200)).body as ListBody;
  const found = async (user: TestUser, q: string): Promise<{ total: number; keys: string[] }> => {
    const body = await list(user, { q, pageSize: 100 });
    const byId = Object.fromEntries(Object.entries(ids).map(([key, id]) => [id, key]));
    return { total: body.total, keys: body.items.map((item) => byId[item.id]).sort() };
  };

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
    const countyId = await t.createUnit('县');
    const townId = await t.createUnit('镇', countyId);
    await t.createUnit('二镇', countyId); // the county then reaches more units than it does not: searches exclude the others
    [county, town, sibling] = [await createCast(t, countyId), await createCast(t, townId), await createCast(t, await t.createUnit('邻县'))];
    const open = async (key: string, cast: Cast, title: string, description: string) => {
      ids[key] = (await openCase(t, cast, { title, description })).id;
      t.clock.advance(60_000);
    };
    await open('title', town, '扶贫项目资金拨付延误', '资金未按时拨付。');
    await open('description', county, '项目资金问题', '乡镇扶贫资金挪用。');
    await open('spansBoth', county, '专项扶', '贫困户补助'); // 扶|贫 only across title and description
    await open('separated', town, '扶 贫 工作', '扶、贫'); // never adjacent
    await open('ascii', town, 'Road TENDER', 'Xy budget');
    await open('lastChar', county, '道路维修', '延误'); // 误 only at the very end
    await open('elsewhere', sibling, '扶贫资金', '邻县的扶贫。');
  });
  afterAll(() => t.stop());

  it('finds a two-character Chinese term in title or description, only within the caller’s scope', async () => {
    expect(await found(county.leader, '扶贫')).toEqual({ total: 2, keys: ['description', 'title'] });
    expect(await found(town.leader, '扶贫')).toEqual({ total: 1, keys: ['title'] });
    expect(await found(sibling.leader, '扶贫')).toEqual({ total: 1, keys: ['elsewhere'] });
    expect(await found(county.officer, '贫困')).toEqual({ total: 1, keys: ['spansBoth'] });
    // Case folds as for longer terms; a separator inside the term is found by reading the scope.
    expect(await found(county.leader, 'xY')).toEqual({ total: 1, keys: ['ascii'] });
    expect(await found(county.leader, '扶 ')).toEqual({ total: 1, keys: ['separated'] });
    expect(await found(county.leader, '、贫')).toEqual({ total: 1, keys: ['separated'] });
    expect(await found(await t.user(['leader']), '扶贫')).toEqual({ total: 3, keys: ['description', 'elsewhere', 'title'] });
    // With the other filters and paging, as every list.
    expect((await list(county.leader, { q: '扶贫', state: 'awaitingExplanation' })).total).toBe(2);
    expect((await list(county.leader, { q: '扶贫', state: 'closed' })).total).toBe(0);
    const page = await list(county.leader, { q: '扶贫', pageSize: 1, page: 2, sort: 'createdAt' });
    expect({ total: page.total, ids: page.items.map((item) => item.id) }).toEqual({ total: 2, ids: [ids.description] });
  });

  it('finds a one-character term anywhere, the last character of a text included', async () => {
    expect(await found(county.leader, '贫')).toEqual({ total: 4, keys: ['description', 'separated', 'spansBoth', 'title'] });
    expect(await found(county.leader, '误')).toEqual({ total: 2, keys: ['lastChar', 'title'] });
    expect(await found(town.cadre, '贫')).toEqual({ total: 2, keys: ['separated', 'title'] });
    expect(await found(sibling.leader, '贫')).toEqual({ total: 1, keys: ['elsewhere'] });
  });

  it('answers 1–2 character terms from the pair index, which the insert trigger fills', async () => {
    if (ENGINE === 'sqlite') {
      const match = async (query: string) =>
        (
          await t.database.query<{ id: string }>(
            'SELECT id FROM cases WHERE rowid IN (SELECT rowid FROM cases_bigrams WHERE cases_bigrams MATCH ?) ORDER BY created_at',
            query,
          )
        ).rows.map((row) => row.id);
      expect(await match('"扶贫"')).toEqual([ids.title, ids.description, ids.elsewhere]);
      expect(await match('"误" *')).toEqual([ids.title, ids.lastChar]);
    } else {
      const { rows } = await t.database.query<{ id: string }>(
        "SELECT id FROM cases WHERE case_search_grams(title, description) @> ARRAY['扶贫'] ORDER BY created_at",
      );
      expect(rows.map((row) => row.id)).toEqual([ids.title, ids.description, ids.elsewhere]);
    }
  });

  it('refuses a read that outlasts its budget with a 503 naming it, and serves it again once readers are free', async () => {
    const short = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000), READ_BUDGET_MS: '300' });
    try {
      const leader = await short.user(['leader']);
      const release = short.app.get(ReadPool).hold();
      try {
        const refused = await short.http.get('/cases').query({ q: '扶贫' }).set(auth(leader));
        expectRefusal(refused, 503, 'longer than the 300 ms one request may use');
        expect(refused.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
        // The export reads its first chunk before the first byte, so its refusal is a JSON error too.
        expectRefusal(await short.http.get('/reports/cases.csv').set(auth(leader)), 503, '300 ms');
        expectRefusal(await short.http.get('/reports/summary').set(auth(leader)), 503, '300 ms');
        // The inbox is a long read too (its count and page run on the readers).
        expectRefusal(await short.http.get('/me/tasks').set(auth(leader)), 503, '300 ms');
        // Reads that are not long reads, and commands, do not wait for the readers.
        await short.http
          .get('/units')
          .set(auth(await short.adminToken()))
          .expect(200);
        await short.http.get('/me/notifications').set(auth(leader)).expect(200);
      } finally {
        release();
      }
      expect((await short.http.get('/cases').query({ q: '扶贫' }).set(auth(leader)).expect(200)).body).toMatchObject({ total: 0 });
      expect((await short.http.get('/me/tasks').set(auth(leader)).expect(200)).body).toMatchObject({ total: 0 });
    } finally {
      await short.stop();
    }
  });

  it('answers commands while an export waits for its next chunk, and the CSV comes out whole', async () => {
    const exporter = t.app.get(CaseExportService);
    const pool = t.app.get(ReadPool);
    exporter.chunkSize = 2;
    try {
      const whole = (await t.http.get('/reports/cases.csv').set(auth(county.leader)).buffer(true).parse(collect)).body as Buffer;
      const lines = whole.toString('utf8').trimEnd().split('\r\n');
      expect(lines).toHaveLength(7); // header and six cases of the county, in two-row chunks

      // Hold the readers when the export asks for its second chunk (its first was read before the first byte).
      let reads = 0;
      let release: (() => void) | null = null;
      const query = pool.query.bind(pool);
      const spy = jest.spyOn(pool, 'query').mockImplementation((statements) => {
        reads++;
        if (reads === 3 && !release) {
          release = pool.hold(); // reads 1–2: the first chunk and its names
        }
        return query(statements);
      });
      try {
        const response = await openStream(`/reports/cases.csv`, county.leader.token);
        const received: Buffer[] = [];
        let ended = false;
        response.on('data', (chunk: Buffer) => received.push(chunk));
        response.on('end', () => (ended = true));
        const firstRows = lines.slice(0, 3).join('\r\n');
        await until(() => Buffer.concat(received).toString('utf8').includes(firstRows));
        expect(release).not.toBeNull();

        // Mid-way: a command of another county and the health check are answered, the export is still open.
        const opened = await openCase(t, sibling, { title: '导出期间立案', description: '命令不等待导出。' });
        expect(opened.state).toBe('awaitingExplanation');
        await t.http.get('/health').expect(200);
        expect(ended).toBe(false);

        release!();
        await until(() => ended);
        expect(Buffer.concat(received).equals(whole)).toBe(true);
      } finally {
        spy.mockRestore();
      }
    } finally {
      exporter.chunkSize = 500;
    }
  });

  let base: string | null = null;
  async function openStream(path: string, token: string): Promise<IncomingMessage> {
    if (!base) {
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    }
    return new Promise((resolve, reject) => {
      get(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } }, (response) => {
        expect(response.statusCode).toBe(200);
        resolve(response);
      }).on('error', reject);
    });
  }
});

function collect(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Waits for a condition that network events make true (no timer decides the outcome). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
