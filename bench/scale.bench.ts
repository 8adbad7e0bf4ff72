/**
 * The scale part of `npm run bench`: read latencies and memory of the real service on a database filled
 * by `npm run seed:bulk` (docs/performance.md). A benchmark, not a test: it prints figures.
 *
 *   BENCH_DATABASE_PATH=/tmp/bulk/db.sqlite npm run bench          # SQLite
 *   BENCH_DATABASE_URL=postgres://…/bulk_1m npm run bench          # PostgreSQL
 *   npm run bench:scale                                            # only this part (same variables)
 *   BENCH_ONLY=/me/tasks npm run bench:scale                       # only the endpoints whose name has this
 *   BENCH_ONLY=long-reads npm run bench:scale                      # only issue 16's short searches and /health
 *
 * It starts the built service (`dist/src/main.js`, NODE_ENV=production) as a child process on that
 * database, logs in as the seeded admin, a leader of a city (a mid-level unit) and the province's first
 * officer (whose inbox spans every unit: issue 16's request that once exhausted the heap), warms up, then
 * sends one request at a time and records p50/p99 per endpoint; the service's resident memory is read
 * from /proc/<pid>/status (VmRSS sampled every 50 ms, VmHWM at the end).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type ClientRequest, get } from 'node:http';

import Database from 'better-sqlite3';
import pg from 'pg';

import { freePort } from './free-port.js';
import { HttpClient } from './http-client.js';
import { percentile } from './percentile.js';
import { serviceNodeArgs } from './service-command.js';

const PASSWORD = 'bulk-seed-password';
const PREFIX = process.env.BENCH_SEED_PREFIX ?? 'p1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const VERIFY_SAMPLES = Number(process.env.BENCH_VERIFY_SAMPLES ?? 100);
/**
 * Measure only the endpoints whose name contains this (e.g. `/me/tasks`); the others are listed as skipped.
 * `long-reads` picks issue 16's short searches and /health under an export.
 */
const ONLY = process.env.BENCH_ONLY;
const wanted = (name: string): boolean =>
  ONLY === undefined || (ONLY === 'long-reads' ? /q=<|GET \/health/.test(name) : name.includes(ONLY));

interface Target {
  engine: 'sqlite' | 'postgres';
  env: Record<string, string>;
  /** one query straight on the database (the 1,000-event case) */
  query<T>(sql: string): Promise<T[]>;
}

function target(): Target | null {
  const url = process.env.BENCH_DATABASE_URL;
  const path = process.env.BENCH_DATABASE_PATH;
  if (url) {
    return {
      engine: 'postgres',
      env: { DATABASE_URL: url, DATABASE_PATH: process.env.DATABASE_PATH ?? '/tmp/bulk-bench-data/unused.sqlite' },
      async query<T>(sql: string) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(sql)).rows as T[];
        } finally {
          await client.end();
        }
      },
    };
  }
  if (path) {
    if (!existsSync(path)) {
      throw new Error(`BENCH_DATABASE_PATH: ${path} does not exist (npm run seed:bulk -- --cases 1000000 --database ${path})`);
    }
    return {
      engine: 'sqlite',
      env: { DATABASE_PATH: path },
      query<T>(sql: string) {
        const db = new Database(path, { readonly: true });
        try {
          return Promise.resolve(db.prepare(sql).all() as T[]);
        } finally {
          db.close();
        }
      },
    };
  }
  return null;
}

function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
}

interface Row {
  name: string;
  target?: number;
  samples: number;
  p50: number | null;
  p99: number | null;
  /** the slowest sample: with 100 samples, p99 is the second slowest */
  max?: number;
  /** the highest RSS sampled while this endpoint was measured: which request makes the service grow */
  rssMb?: number;
  note?: string;
}

/** Two-character terms of the seed's vocabulary (scripts/bulk/names.ts), from ~7% to ~26% of all cases. */
const SHORT_TERMS = ['资金', '龙泉', '签约', '农场', '项目', '审批', '整改', '集体'];
const SINGLE_TERMS = ['桃', '镇', '款', '约'];

/**
 * `/health` while the province leader's CSV export streams (read as fast as it comes) and four clients
 * search back to back (issue 16: 3.8 s p50 before). Returns the health row; the export's and searches'
 * progress go in its note.
 */
async function healthUnderLongReads(
  client: HttpClient,
  port: number,
  exportToken: string,
  searchToken: string,
  searchPaths: string[],
  measure: (name: string, token: string, paths: string[], samples: number, target?: number) => Promise<Row>,
): Promise<Row> {
  let exportBytes = 0;
  let exportDone = false;
  const exportStarted = performance.now();
  let request: ClientRequest | null = null;
  const exported = new Promise<number>((resolve, reject) => {
    request = get({ host: '127.0.0.1', port, path: '/reports/cases.csv', headers: { authorization: `Bearer ${exportToken}` } }, (res) => {
      res.on('data', (chunk: Buffer) => (exportBytes += chunk.length));
      res.on('end', () => {
        exportDone = true;
        resolve(res.statusCode ?? 0);
      });
      res.on('error', () => resolve(-1));
    }).on('error', reject);
  });
  let searching = true;
  let searches = 0;
  const searchers = [0, 1, 2, 3].map(async (n) => {
    for (let i = n; searching; i++) {
      await client.send('GET', searchPaths[i % searchPaths.length], undefined, searchToken);
      searches++;
    }
  });
  const row = await measure('GET /health while a province CSV export and 4 searches run', '', ['/health'], 1000, 20);
  searching = false;
  await Promise.all(searchers);
  const note = `during it: ${searches} searches, export ${(exportBytes / 1e6).toFixed(1)} MB${exportDone ? ' (finished)' : ' so far'}`;
  // The whole export, for its duration, up to BENCH_EXPORT_WAIT_S more seconds; then it is abandoned.
  const waitMs = Number(process.env.BENCH_EXPORT_WAIT_S ?? 600) * 1000;
  const status = await Promise.race([exported, new Promise<null>((resolve) => setTimeout(() => resolve(null), waitMs).unref())]);
  const exportS = (performance.now() - exportStarted) / 1000;
  if (status === null) {
    (request as ClientRequest | null)?.destroy();
  }
  const ending = status === null ? 'was abandoned' : `ended (HTTP ${status})`;
  return { ...row, note: `${note}; the export ${ending} after ${exportS.toFixed(1)} s, ${(exportBytes / 1e6).toFixed(0)} MB` };
}

async function main(): Promise<void> {
  const db = target();
  if (!db) {
    console.log(
      'scale benchmark skipped: no seeded database. Seed one and point the benchmark at it:\n' +
        '  npm run seed:bulk -- --cases 1000000 --database /tmp/bulk-1m/db.sqlite\n' +
        '  BENCH_DATABASE_PATH=/tmp/bulk-1m/db.sqlite npm run bench     (or BENCH_DATABASE_URL=postgres://… for PostgreSQL)',
    );
    return;
  }
  const [verifyCase] = await db.query<{ id: string; version: number }>(
    'SELECT id, version FROM cases WHERE version >= 1000 ORDER BY version DESC LIMIT 1',
  );
  const [counts] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM cases');
  console.log(`scale benchmark on ${db.engine}: ${Number(counts.n)} cases`);

  const port = await freePort();
  const started = performance.now();
  const server: ChildProcess = spawn(process.execPath, serviceNodeArgs(), {
    env: {
      ...process.env,
      ...db.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = server.pid!;
  const client = new HttpClient(new URL(`http://127.0.0.1:${port}`));
  let peakKb = 0;
  let phasePeakKb = 0;
  const sampler = setInterval(() => {
    try {
      const rssKb = memoryKb(pid, 'VmRSS');
      peakKb = Math.max(peakKb, rssKb);
      phasePeakKb = Math.max(phasePeakKb, rssKb);
    } catch {
      // not started yet, or gone
    }
  }, 50);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await client.send('GET', '/health')).status === 200) {
          break;
        }
      } catch {
        // not listening yet
      }
      if (attempt > 1200) {
        throw new Error('service did not become healthy within 2 minutes');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const startupS = (performance.now() - started) / 1000;
    console.log(
      `service up in ${startupS.toFixed(1)} s (migrations checked, start-up sweep run); RSS ${(memoryKb(pid, 'VmRSS') / 1024).toFixed(0)} MB`,
    );

    const login = async (username: string) => {
      const result = await client.send('POST', '/auth/login', { username, password: PASSWORD });
      if (result.status !== 200) {
        throw new Error(
          `login ${username}: ${result.status} ${JSON.stringify(result.body)} (seeded with a different prefix? BENCH_SEED_PREFIX)`,
        );
      }
      return result.body as { accessToken: string; user: { unitId: string } };
    };
    const admin = await login(`${PREFIX}.admin`);
    const leader = await login(`${PREFIX}.c01.leader1`);
    const provinceOfficer = await login(`${PREFIX}.officer1`);
    const provinceLeader = await login(`${PREFIX}.leader1`);
    const units = (await client.send('GET', '/units', undefined, admin.accessToken)).body as Array<{
      id: string;
      parentId: string | null;
      name: string;
    }>;
    const counties = units.filter((u) => u.parentId === leader.user.unitId);
    const [category] = await db.query<{ category: string }>('SELECT category FROM cases LIMIT 1');

    const measure = async (name: string, token: string, paths: string[], samples: number, target?: number): Promise<Row> => {
      if (!wanted(name)) {
        return { name, target, samples: 0, p50: null, p99: null, note: `skipped: BENCH_ONLY=${ONLY}` };
      }
      const probe = await client.send('GET', paths[0], undefined, token);
      if (probe.status !== 200) {
        const why = probe.status === 404 ? 'route missing' : `HTTP ${probe.status}: ${JSON.stringify(probe.body).slice(0, 160)}`;
        return { name, target, samples: 0, p50: null, p99: null, note: `skipped: ${why}` };
      }
      phasePeakKb = 0;
      for (let i = 0; i < Math.min(WARMUP, samples); i++) {
        await client.send('GET', paths[i % paths.length], undefined, token);
      }
      const latencies: number[] = [];
      let errors = 0;
      for (let i = 0; i < samples; i++) {
        const sent = performance.now();
        const result = await client.send('GET', paths[i % paths.length], undefined, token);
        latencies.push(performance.now() - sent);
        if (result.status !== 200) {
          errors++;
        }
      }
      latencies.sort((a, b) => a - b);
      return {
        name,
        target,
        samples,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
        rssMb: Math.round(Math.max(phasePeakKb, memoryKb(pid, 'VmRSS')) / 1024),
        ...(errors > 0 ? { note: `${errors} errors` } : {}),
      };
    };

    const countyIds = counties.slice(0, 8).map((c) => c.id);
    const rows: Row[] = [];
    rows.push(
      await measure(
        'GET /cases?unitId=<county>&state=decided&pageSize=20 (leader)',
        leader.accessToken,
        countyIds.map((id) => `/cases?unitId=${id}&state=decided&pageSize=20`),
        SAMPLES,
        20,
      ),
    );
    rows.push(
      await measure(
        'GET /cases?category=…&page=5 (admin)',
        admin.accessToken,
        [`/cases?category=${encodeURIComponent(category.category)}&page=5`],
        SAMPLES,
        20,
      ),
    );
    rows.push(
      await measure(
        'GET /cases?state=decided&pageSize=20 (leader, whole city)',
        leader.accessToken,
        ['/cases?state=decided&pageSize=20'],
        SAMPLES,
        20,
      ),
    );
    rows.push(await measure('GET /cases?page=3 (leader, whole city)', leader.accessToken, ['/cases?page=3'], SAMPLES, 20));
    rows.push(
      await measure(
        'GET /reports/summary?unitId=<city> (leader)',
        leader.accessToken,
        [`/reports/summary?unitId=${leader.user.unitId}`],
        100,
        300,
      ),
    );
    rows.push(
      await measure(
        'GET /reports/summary?unitId=<county> (leader)',
        leader.accessToken,
        countyIds.map((id) => `/reports/summary?unitId=${id}`),
        100,
        300,
      ),
    );
    const inbox = await client.send('GET', '/me/tasks', undefined, provinceOfficer.accessToken);
    if (inbox.status === 200) {
      const body = inbox.body as { total?: number; counts?: Record<string, number> };
      console.log(`inbox of ${PREFIX}.officer1: ${body.total ?? '?'} tasks ${JSON.stringify(body.counts ?? {})}`);
    }
    rows.push(await measure('GET /me/tasks (province officer)', provinceOfficer.accessToken, ['/me/tasks'], SAMPLES, 50));
    rows.push(await measure('GET /me/tasks (province leader)', provinceLeader.accessToken, ['/me/tasks'], SAMPLES, 50));
    rows.push(
      await measure(
        'GET /me/tasks?page=40&pageSize=200 (province officer)',
        provinceOfficer.accessToken,
        ['/me/tasks?page=40&pageSize=200'],
        100,
        50,
      ),
    );
    rows.push(
      verifyCase
        ? await measure(
            `GET /cases/:id/audit/verify (${verifyCase.version} events)`,
            leader.accessToken,
            [`/cases/${verifyCase.id}/audit/verify`],
            VERIFY_SAMPLES,
            50,
          )
        : {
            name: 'GET /cases/:id/audit/verify (1,000 events)',
            target: 50,
            samples: 0,
            p50: null,
            p99: null,
            note: 'skipped: no case with 1,000 events (seed without --no-verify-case)',
          },
    );
    // Issue 16: short search terms and long reads off the request thread.
    const province = await login(`${PREFIX}.leader1`);
    const searchPaths = SHORT_TERMS.map((term) => `/cases?q=${encodeURIComponent(term)}`);
    rows.push(await measure('GET /cases?q=<2 Chinese characters> (leader, whole city)', leader.accessToken, searchPaths, SAMPLES, 100));
    rows.push(await measure('GET /cases?q=<2 Chinese characters> (leader, province)', province.accessToken, searchPaths, SAMPLES, 100));
    rows.push(
      await measure(
        'GET /cases?q=<1 Chinese character> (leader, whole city)',
        leader.accessToken,
        SINGLE_TERMS.map((c) => `/cases?q=${encodeURIComponent(c)}`),
        100,
      ),
    );
    if (wanted('GET /health while')) {
      rows.push(await healthUnderLongReads(client, port, province.accessToken, leader.accessToken, searchPaths, measure));
    }

    const finalKb = memoryKb(pid, 'VmRSS');
    const hwmKb = memoryKb(pid, 'VmHWM');
    peakKb = Math.max(peakKb, hwmKb);

    const ms = (v: number | null) => (v === null ? '—' : v.toFixed(1));
    console.log(
      `\n${'endpoint'.padEnd(62)} ${'samples'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'target'.padStart(7)} ${'RSS MB'.padStart(7)}  note`,
    );
    for (const r of rows) {
      const verdict =
        r.p99 === null || r.target === undefined ? '' : r.p99 <= r.target ? 'met' : `missed by ${(r.p99 - r.target).toFixed(1)} ms`;
      console.log(
        `${r.name.padEnd(62)} ${String(r.samples).padStart(7)} ${ms(r.p50).padStart(8)} ${ms(r.p99).padStart(8)} ${ms(r.max ?? null).padStart(8)} ${(r.target === undefined ? '' : `≤${r.target}`).padStart(7)} ${String(r.rssMb ?? '—').padStart(7)}  ${r.note ?? verdict}`,
      );
    }
    console.log(`service RSS: peak ${(peakKb / 1024).toFixed(0)} MB (VmHWM), final ${(finalKb / 1024).toFixed(0)} MB; target ≤ 250 MB`);
    console.log(
      `SCALE ${JSON.stringify({
        engine: db.engine,
        cases: Number(counts.n),
        startupS: Number(startupS.toFixed(1)),
        endpoints: rows.map((r) => ({
          ...r,
          p50: r.p50 === null ? null : Number(r.p50.toFixed(2)),
          p99: r.p99 === null ? null : Number(r.p99.toFixed(2)),
          max: r.max === undefined ? null : Number(r.max.toFixed(2)),
        })),
        rssPeakMb: Math.round(peakKb / 1024),
        rssFinalMb: Math.round(finalKb / 1024),
      })}`,
    );
  } finally {
    clearInterval(sampler);
    client.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
