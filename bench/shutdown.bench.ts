/**
 * The shutdown burst of issue 17 as a figure: the built service on a temporary database, 60 `POST /cases`
 * and 6 `GET /cases` sent at once by an officer, SIGTERM as soon as all are on the wire; then what each
 * client saw, whether the service had read the requests that got no answer (their request id in its log),
 * the exit, and how many cases the database holds afterwards. A benchmark, not a test: it prints figures
 * (docs/performance.md); test/shutdown.e2e-spec.ts holds the behaviour.
 *
 *   npm run build && node dist/bench/shutdown.bench.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { serviceNodeArgs } from './service-command.js';
import { ServiceProcess } from './service-process.js';
import { burst, burstRequests, officerAndCadre, tally } from './shutdown-burst.js';

const ADMIN_PASSWORD = 'bench-root-passphrase';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function round(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'case-review-shutdown-'));
  try {
    const database = join(dir, 'service.sqlite');
    const service = await ServiceProcess.start(serviceNodeArgs(), {
      NODE_ENV: 'production',
      DATABASE_PATH: database,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
    });
    const { officer, cadreId } = await officerAndCadre(service.baseUrl, ADMIN_PASSWORD);
    const started = performance.now();
    const results = await burst(service.baseUrl, burstRequests(officer, cadreId, 60, 6), () => service.signal('SIGTERM'));
    const exit = await service.exited;
    const logged = new Set(service.lines.map((line) => line.requestId));
    const unanswered = results.filter((r) => r.fate.kind !== 'answered');
    const db = new Database(database, { readonly: true });
    const cases = (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
    db.close();
    return {
      opens: tally(results.filter((r) => r.request.method === 'POST')),
      reads: tally(results.filter((r) => r.request.method === 'GET')),
      noAnswerErrors: [...new Set(unanswered.map((r) => (r.fate.kind === 'no-answer' ? r.fate.error : r.fate.kind)))],
      unansweredButRead: unanswered.filter((r) => logged.has(r.request.requestId)).length,
      opened2xx: results.filter((r) => r.request.method === 'POST' && r.fate.kind === 'answered' && r.fate.status === 201).length,
      casesInDatabase: cases,
      exit,
      ms: Math.round(performance.now() - started),
      shutdownLine: service.lines.find((line) => line.msg === 'shutdown complete' || line.msg === 'shutdown aborted') ?? null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let i = 0; i < ROUNDS; i++) {
  console.log(JSON.stringify(await round()));
}
