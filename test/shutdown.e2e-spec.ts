import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ServiceProcess } from '../bench/service-process.js';
import { burst, burstRequests, officerAndCadre } from '../bench/shutdown-burst.js';
import { ENGINE, TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const ADMIN_PASSWORD = 'shutdown-root-passphrase';

/**
 * Stopping the service (issue 17): the built service as a child process, the way an operator runs it, since
 * only a real process shows what a signal does. A burst of 66 requests, SIGTERM once all are on the wire:
 * every request is answered in full, or was never read by the service at all; the process exits 0 with one
 * summary line; every acknowledged case is there after a restart.
 */
describe(`stopping the service (${ENGINE})`, () => {
  let buildDir: string;
  const cleanup: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    buildDir = mkdtempSync(join(ROOT, '.build-test-'));
    await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', buildDir], { cwd: ROOT });
  }, 180_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) {
      await step();
    }
    rmSync(buildDir, { recursive: true, force: true });
  });

  async function start(
    env: Record<string, string> = {},
    database?: TestDatabase,
  ): Promise<{ service: ServiceProcess; database: TestDatabase }> {
    let db = database;
    if (!db) {
      const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
      db = await TestDatabase.create(dataDir);
      const created = db;
      cleanup.push(async () => {
        await created.drop();
        rmSync(dataDir, { recursive: true, force: true });
      });
    }
    const service = await ServiceProcess.start(
      [join(buildDir, 'src/main.js')],
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'shutdown-test-secret-shutdown-test-secret',
        ADMIN_PASSWORD,
        LOG_LEVEL: 'info',
        ...db.env,
        ...env,
      },
      ROOT,
    );
    cleanup.push(() => service.signal('SIGKILL'));
    return { service, database: db };
  }

  it('answers every request it read, refuses the rest unread, exits 0 with one line, and loses no acknowledged case', async () => {
    const { service, database } = await start();
    const { officer, cadreId } = await officerAndCadre(service.baseUrl, ADMIN_PASSWORD);
    const results = await burst(service.baseUrl, burstRequests(officer, cadreId, 60, 6), () => service.signal('SIGTERM'));
    const exit = await service.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    const summaries = service.lines.filter((line) => String(line.msg).startsWith('shutdown'));
    expect(summaries).toEqual([
      expect.objectContaining({
        msg: 'shutdown complete',
        signal: 'SIGTERM',
        exitCode: 0,
        drainedRequests: expect.any(Number),
        durationMs: expect.any(Number),
      }),
    ]);

    const logged = new Set(service.lines.map((line) => line.requestId));
    const acknowledged: string[] = [];
    for (const { request, fate } of results) {
      if (fate.kind === 'answered') {
        // Valid requests: the only right answers are the successful ones (before: 503s once the database had closed).
        expect({ id: request.requestId, status: fate.status }).toEqual({
          id: request.requestId,
          status: request.method === 'POST' ? 201 : 200,
        });
        const body = JSON.parse(fate.body) as { id?: string };
        if (request.method === 'POST') {
          acknowledged.push(body.id!);
        }
      } else {
        // Not answered: then the service never read it — refused, or reset before a byte came back, and no
        // trace of it in the log (a request it had read would have its line) or in the database.
        expect({ id: request.requestId, fate: fate.kind }).toEqual({
          id: request.requestId,
          fate: expect.stringMatching(/^(refused|no-answer)$/),
        });
        expect(logged.has(request.requestId)).toBe(false);
      }
    }

    // Closed cleanly: SQLite's last connection checkpointed the WAL into the database file and removed it.
    if (ENGINE === 'sqlite') {
      const wal = `${database.env.DATABASE_PATH}-wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    }

    const { rows } = await database.query<{ id: string; title: string }>("SELECT id, title FROM cases WHERE category = 'burst'");
    expect(rows.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
    const restarted = (await start({}, database)).service;
    for (const id of acknowledged) {
      const response = await fetch(new URL(`/cases/${id}`, restarted.baseUrl), { headers: { authorization: `Bearer ${officer}` } });
      expect({ id, status: response.status }).toEqual({ id, status: 200 });
    }
    restarted.signal('SIGINT');
    expect(await restarted.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('cuts what is still running at SHUTDOWN_DRAIN_MS, says so in one line and exits 1', async () => {
    const { service } = await start({ SHUTDOWN_DRAIN_MS: '300' });
    const { officer } = await officerAndCadre(service.baseUrl, ADMIN_PASSWORD);
    // A request whose body never finishes arriving: received (its headers were read), never answerable.
    const socket = connect(Number(service.baseUrl.port), '127.0.0.1');
    const ended = new Promise<{ bytes: number; error: string | null }>((resolveEnd) => {
      let bytes = 0;
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      socket.on('error', (error: NodeJS.ErrnoException) => resolveEnd({ bytes, error: error.code ?? error.message }));
      socket.on('close', () => resolveEnd({ bytes, error: null }));
    });
    const headers = [
      'POST /cases HTTP/1.1',
      `Host: ${service.baseUrl.host}`,
      `Authorization: Bearer ${officer}`,
      'Content-Type: application/json',
      'Content-Length: 1000',
      'X-Request-Id: slow-body',
    ];
    await new Promise<void>((resolveWrite) => socket.write(`${headers.join('\r\n')}\r\n\r\n{"title":`, () => resolveWrite()));
    // The service has the request once the health check on another connection is answered after it.
    await fetch(new URL('/health', service.baseUrl));
    const signalled = performance.now();
    service.signal('SIGTERM');
    const exit = await service.exited;
    const tookMs = performance.now() - signalled;

    expect(exit).toEqual({ code: 1, signal: null });
    // Closed or reset without a byte of answer: the client knows the request failed and may retry it.
    expect((await ended).bytes).toBe(0);
    const summaries = service.lines.filter((line) => String(line.msg).startsWith('shutdown'));
    expect(summaries).toEqual([
      expect.objectContaining({ msg: 'shutdown aborted', signal: 'SIGTERM', abortedRequests: 1, drainMs: 300, exitCode: 1 }),
    ]);
    // Bounded by the drain, not by the request: well under the 5 s the application's close may add.
    expect(tookMs).toBeGreaterThanOrEqual(300);
    expect(tookMs).toBeLessThan(5000);
  }, 60_000);
});
