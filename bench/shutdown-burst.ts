import { request } from 'node:http';

/** What became of one request of the burst, as its client saw it. */
export type BurstFate =
  | { kind: 'answered'; status: number; body: string; headers: Record<string, string | string[] | undefined> }
  /** ECONNREFUSED: nothing was listening any more. */
  | { kind: 'refused' }
  /** The connection ended (reset or closed) before a single byte of an answer came back. */
  | { kind: 'no-answer'; error: string }
  /** An answer had begun and was cut (headers or part of the body, then the socket died). */
  | { kind: 'cut'; status: number; error: string };

export interface BurstRequest {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
  /** Sent as X-Request-Id: the service names it in its log line for the request. */
  requestId: string;
}

export interface BurstResult {
  request: BurstRequest;
  fate: BurstFate;
}

/**
 * Sends one request on its own connection (no keep-alive agent, so each request's fate is its own) and
 * reports what the client saw. `written` resolves once the request's bytes were handed to the kernel.
 */
export function sendOne(baseUrl: URL, spec: BurstRequest): { written: Promise<void>; result: Promise<BurstResult> } {
  let markWritten: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (markWritten = resolve));
  const result = new Promise<BurstResult>((resolve) => {
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const done = (fate: BurstFate) => {
      markWritten();
      resolve({ request: spec, fate });
    };
    const req = request({
      agent: false,
      host: baseUrl.hostname,
      port: baseUrl.port,
      method: spec.method,
      path: spec.path,
      headers: {
        authorization: `Bearer ${spec.token}`,
        'x-request-id': spec.requestId,
        ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({ kind: 'answered', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
      res.on('aborted', () => done({ kind: 'cut', status: res.statusCode ?? 0, error: 'aborted' }));
      res.on('error', (error) => done({ kind: 'cut', status: res.statusCode ?? 0, error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      done(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'no-answer', error: error.code ?? error.message });
    });
    req.on('finish', markWritten);
    req.end(payload);
  });
  return { written, result };
}

/**
 * The burst of issue 17: every request sent at once, `onWritten` called when all of them are on the
 * wire (the moment the shutdown benchmark and test send their signal), and every fate collected.
 */
export async function burst(baseUrl: URL, specs: BurstRequest[], onWritten: () => void): Promise<BurstResult[]> {
  const sent = specs.map((spec) => sendOne(baseUrl, spec));
  await Promise.all(sent.map((s) => s.written));
  onWritten();
  return Promise.all(sent.map((s) => s.result));
}

/** How many requests met each fate: `answered 2xx`, `answered 503`, `refused`, `no-answer`, `cut`. */
export function tally(results: BurstResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { fate } of results) {
    const name = fate.kind === 'answered' ? `answered ${fate.status >= 200 && fate.status < 300 ? '2xx' : fate.status}` : fate.kind;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** An officer and the cadre their cases are about, created through the API by the first admin. */
export async function officerAndCadre(baseUrl: URL, adminPassword: string): Promise<{ officer: string; cadreId: string }> {
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>>;
  };
  const login = async (username: string, password: string) =>
    (await call('POST', '/auth/login', { username, password })).accessToken as string;
  const admin = await login('admin', adminPassword);
  const unitId = (await call('GET', '/units', undefined, admin))[0].id as string;
  const password = 'burst-user-password';
  await call('POST', '/users', { username: 'burst-officer', password, displayName: 'Burst officer', roles: ['officer'], unitId }, admin);
  const cadre = await call(
    'POST',
    '/users',
    { username: 'burst-cadre', password, displayName: 'Burst cadre', roles: ['cadre'], unitId },
    admin,
  );
  return { officer: await login('burst-officer', password), cadreId: cadre.id as string };
}

/** `opens` POST /cases (titles `burst <i>`) and `reads` GET /cases, interleaved, each with its own request id. */
export function burstRequests(officer: string, cadreId: string, opens: number, reads: number): BurstRequest[] {
  const specs: BurstRequest[] = [];
  for (let i = 0; i < opens + reads; i++) {
    const read = reads > 0 && i % Math.ceil((opens + reads) / reads) === 0;
    specs.push(
      read
        ? { method: 'GET', path: '/cases?pageSize=20', token: officer, requestId: `burst-read-${i}` }
        : {
            method: 'POST',
            path: '/cases',
            token: officer,
            requestId: `burst-open-${i}`,
            body: {
              subjectId: cadreId,
              title: `burst ${i}`,
              description: 'Opened by the shutdown burst.',
              occurredAt: '2026-03-01',
              category: 'burst',
            },
          },
    );
  }
  return specs;
}
