import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { GracefulShutdown } from '../src/common/graceful-shutdown.js';
import { ReadPool } from '../src/database/read-pool.js';
import { CaseExportService } from '../src/reports/case-export.service.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { TestApp } from './support/test-app.js';
import { ENGINE } from './support/test-database.js';

/**
 * A CSV export cut short must look cut (issue 17): the client sees an aborted chunked response (the socket
 * ends without the terminating zero-length chunk), never a clean 200 with a truncated file. Two causes:
 * the shutdown reaching SHUTDOWN_DRAIN_MS while the export waits for its next chunk, and a read failing
 * mid-way. The export is held after its first chunk (two rows) by holding the reader pool.
 */
describe(`a CSV export cut short (${ENGINE})`, () => {
  let t: TestApp;
  let cast: Cast;
  let base: string;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    for (let i = 0; i < 6; i++) {
      await openCase(t, cast, { title: `导出 ${i}` });
    }
    t.app.get(CaseExportService).chunkSize = 2;
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t.stop();
  });

  /** Opens the export and holds the readers when it asks for its second chunk; resolves once rows arrived. */
  async function exportHeldMidway(
    onSecondChunk: (pool: ReadPool) => Promise<never> | null,
  ): Promise<{ response: IncomingMessage; outcome: Promise<{ ended: boolean; aborted: boolean; text: string }>; release: () => void }> {
    const pool = t.app.get(ReadPool);
    const query = pool.query.bind(pool);
    let reads = 0;
    let release: () => void = () => undefined;
    jest.spyOn(pool, 'query').mockImplementation((statements) => {
      reads++;
      if (reads === 3) {
        const failure = onSecondChunk(pool);
        if (failure) {
          return failure;
        }
        release = pool.hold();
      }
      return query(statements);
    });
    const response = await new Promise<IncomingMessage>((resolveResponse, reject) => {
      get(`${base}/reports/cases.csv`, { headers: { Authorization: `Bearer ${cast.leader.token}` } }, resolveResponse).on('error', reject);
    });
    const chunks: Buffer[] = [];
    const outcome = new Promise<{ ended: boolean; aborted: boolean; text: string }>((resolveOutcome) => {
      const text = () => Buffer.concat(chunks).toString('utf8');
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolveOutcome({ ended: true, aborted: false, text: text() }));
      response.on('error', () => resolveOutcome({ ended: false, aborted: true, text: text() }));
      response.on('aborted', () => resolveOutcome({ ended: false, aborted: true, text: text() }));
    });
    while (!Buffer.concat(chunks).toString('utf8').includes('导出')) {
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
    return { response, outcome, release: () => release() };
  }

  it('ends as an aborted response when the shutdown reaches its drain deadline', async () => {
    let exitCode: number | null = null;
    const lines: unknown[] = [];
    let closed = false;
    const shutdown = new GracefulShutdown({
      server: t.app.getHttpServer(),
      // The test's app is closed by afterAll; here only the call is recorded.
      closeApplication: () => {
        closed = true;
        return Promise.resolve();
      },
      drainMs: 200,
      logger: { log: (line: unknown) => lines.push(line), error: (line: unknown) => lines.push(line), warn: () => undefined },
      exit: (code) => (exitCode = code),
    });
    shutdown.watch();
    const held = await exportHeldMidway(() => null);
    try {
      expect(held.response.statusCode).toBe(200);
      expect(held.response.headers['transfer-encoding']).toBe('chunked');
      await shutdown.begin('SIGTERM');
      const outcome = await held.outcome;
      expect(outcome).toMatchObject({ ended: false, aborted: true });
      expect(outcome.text.split('\r\n').length).toBeLessThan(7); // header + 6 cases were never all sent
      expect(exitCode).toBe(1);
      expect(closed).toBe(true);
      expect(lines).toEqual([expect.objectContaining({ msg: 'shutdown aborted', abortedRequests: 1, drainMs: 200 })]);
    } finally {
      held.release();
      jest.restoreAllMocks();
    }
  });
});

describe(`a CSV export whose read fails mid-way (${ENGINE})`, () => {
  it('ends as an aborted response, not a complete-looking file', async () => {
    const t = await TestApp.start();
    try {
      const cast = await createCast(t);
      for (let i = 0; i < 6; i++) {
        await openCase(t, cast, { title: `导出 ${i}` });
      }
      t.app.get(CaseExportService).chunkSize = 2;
      await t.app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      const pool = t.app.get(ReadPool);
      const query = pool.query.bind(pool);
      let reads = 0;
      jest.spyOn(pool, 'query').mockImplementation((statements) => {
        reads++;
        return reads === 3 ? Promise.reject(new Error('disk I/O error')) : query(statements);
      });
      const outcome = await new Promise<{ status: number; ended: boolean; text: string }>((resolveOutcome, reject) => {
        get(`${base}/reports/cases.csv`, { headers: { Authorization: `Bearer ${cast.leader.token}` } }, (response) => {
          const chunks: Buffer[] = [];
          const done = (ended: boolean) =>
            resolveOutcome({ status: response.statusCode ?? 0, ended, text: Buffer.concat(chunks).toString('utf8') });
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(true));
          response.on('aborted', () => done(false));
          response.on('error', () => done(false));
        }).on('error', reject);
      });
      expect(outcome.status).toBe(200);
      expect(outcome.ended).toBe(false);
      expect(outcome.text).toContain('导出');
    } finally {
      jest.restoreAllMocks();
      await t.stop();
    }
  });
});
