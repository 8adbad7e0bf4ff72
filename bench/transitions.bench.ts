/**
 * `npm run bench`: the durable transition rate of the real service against the machine's raw commit rate.
 * A benchmark, not a test: it prints figures; targets are checked by reading them (docs/performance.md).
 *
 * Steps: measure raw commits; start the built service as a child process on a temporary database;
 * prepare review-ready cases over HTTP; then 20 concurrent clients each approve cases (one transition
 * per request) and we record latency and errors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.js';
import { HttpClient } from './http-client.js';
import { percentile } from './percentile.js';
import { measureRawCommits } from './raw-commits.js';
import { serviceNodeArgs } from './service-command.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const CASES = Number(process.env.BENCH_CASES ?? 8000);
// Must pass the password rules: not derived from the username `admin`.
const ADMIN_PASSWORD = 'bench-root-passphrase';
const PASSWORD = 'bench-user-password';
// Linux's USER_HZ (getconf CLK_TCK), the unit of /proc/<pid>/stat times.
const CLOCK_TICKS_PER_S = 100;

async function waitForHealth(client: HttpClient): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await client.send('GET', '/health')).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('service did not become healthy');
}

/** Runs `task(i)` for i in [0, count) with `concurrency` workers. */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        await task(next++);
      }
    }),
  );
}

async function expectStatus(promise: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const result = await promise;
  if (result.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body as Record<string, unknown>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'case-review-bench-'));
  let server: ChildProcess | undefined;
  try {
    // The disk's fsync rate drifts from minute to minute here, so the raw rate is measured before and
    // after the transitions and averaged; both figures are printed.
    const rawBefore = measureRawCommits(join(dir, 'raw-before.sqlite'));
    console.log(`raw durable commits (before): ${rawBefore.toFixed(0)}/s (better-sqlite3, WAL, synchronous=FULL)`);

    const port = await freePort();
    server = spawn(process.execPath, serviceNodeArgs(), {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(dir, 'service.sqlite'),
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
        ADMIN_PASSWORD,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const client = new HttpClient(new URL(`http://127.0.0.1:${port}`));
    await waitForHealth(client);

    const login = async (username: string, password: string) =>
      (await expectStatus(client.send('POST', '/auth/login', { username, password }), 200, 'login')).accessToken as string;
    const admin = await login('admin', ADMIN_PASSWORD);
    const units = (await expectStatus(client.send('GET', '/units', undefined, admin), 200, 'units')) as unknown as Array<{ id: string }>;
    const unitId = units[0].id;
    const user = async (username: string, roles: string[]) => {
      const created = await expectStatus(
        client.send('POST', '/users', { username, password: PASSWORD, displayName: username, roles, unitId }, admin),
        201,
        'create user',
      );
      return { id: created.id as string, token: await login(username, PASSWORD) };
    };
    const officer = await user('bench-officer', ['officer']);
    const assessor = await user('bench-assessor', ['officer']);
    const cadre = await user('bench-cadre', ['cadre']);
    const leader = await user('bench-leader', ['leader']);

    console.log(`preparing ${CASES} review-ready cases…`);
    const caseIds: string[] = [];
    await pool(CASES, CLIENTS, async () => {
      const opened = await expectStatus(
        client.send(
          'POST',
          '/cases',
          {
            subjectId: cadre.id,
            title: 'Bench case',
            description: 'Prepared by the benchmark.',
            occurredAt: '2026-03-01',
            category: 'bench',
          },
          officer.token,
        ),
        201,
        'open',
      );
      const id = opened.id as string;
      await expectStatus(client.send('POST', `/cases/${id}/explanation`, { statement: 'Statement.' }, cadre.token), 200, 'explanation');
      await expectStatus(
        client.send(
          'POST',
          `/cases/${id}/assessment`,
          {
            intent: 'negligent',
            motive: 'public',
            nature: 'trial-and-error',
            conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
            severity: 'minor',
            findings: 'Bench findings.',
          },
          assessor.token,
        ),
        200,
        'assessment',
      );
      caseIds.push(id);
    });

    console.log(`measuring: ${CLIENTS} concurrent clients approving ${caseIds.length} cases…`);
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const clientCpuBefore = process.cpuUsage();
    const serverCpuBefore = processCpuSeconds(server.pid);
    const serverMainCpuBefore = processCpuSeconds(server.pid, server.pid);
    await pool(caseIds.length, CLIENTS, async (index) => {
      const sent = performance.now();
      const result = await client.send('POST', `/cases/${caseIds[index]}/review`, { decision: 'approve' }, leader.token);
      latencies.push(performance.now() - sent);
      if (result.status !== 200) {
        errors++;
      }
    });
    const elapsedS = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuS = processCpuSeconds(server.pid) - serverCpuBefore;
    const serverMainCpuS = processCpuSeconds(server.pid, server.pid) - serverMainCpuBefore;
    client.close();

    const rawAfter = measureRawCommits(join(dir, 'raw-after.sqlite'));
    console.log(`raw durable commits (after): ${rawAfter.toFixed(0)}/s`);
    const rawCommitsPerS = (rawBefore + rawAfter) / 2;

    latencies.sort((a, b) => a - b);
    const transitionsPerS = (caseIds.length - errors) / elapsedS;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `transitions: ${caseIds.length - errors} in ${elapsedS.toFixed(2)} s; p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `CPU of one core: service ${((100 * serverCpuS) / elapsedS).toFixed(0)}%, ` +
        `load generator ${((100 * (clientCpu.user + clientCpu.system)) / 1e6 / elapsedS).toFixed(0)}%; ` +
        `service main thread ${((1e6 * serverMainCpuS) / caseIds.length).toFixed(0)} µs CPU per transition`,
    );
    // The ceiling all the machine's cores would allow at this run's CPU cost per transition (service's
    // threads and load generator together): what no change of threading could beat without cutting CPU.
    const cores = availableParallelism();
    const cpuPerTransitionS = (serverCpuS + (clientCpu.user + clientCpu.system) / 1e6) / caseIds.length;
    const cpuCeilingPerS = cores / cpuPerTransitionS;
    console.log(
      `all CPU per transition (service and load generator): ${(1e6 * cpuPerTransitionS).toFixed(0)} µs; ` +
        `${cores} cores at that cost: at most ${cpuCeilingPerS.toFixed(0)} transitions/s, ` +
        `ratio ${(cpuCeilingPerS / rawCommitsPerS).toFixed(2)}; one thread at the main thread's cost: ` +
        `at most ${(caseIds.length / serverMainCpuS).toFixed(0)}/s`,
    );
    console.log(
      `RESULT transitions_per_s=${transitionsPerS.toFixed(0)} raw_commits_per_s=${rawCommitsPerS.toFixed(0)} ` +
        `ratio=${(transitionsPerS / rawCommitsPerS).toFixed(2)} p99_ms=${p99.toFixed(1)} errors=${errors}`,
    );
  } finally {
    server?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * User + system CPU seconds a process (or, with `thread`, one of its threads) has used so far (Linux
 * /proc), to show how busy the service was. Its main thread's time per transition moves far less from
 * run to run than the rate, which follows the disk.
 */
function processCpuSeconds(pid: number | undefined, thread?: number): number {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
