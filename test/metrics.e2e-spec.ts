import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { loadConfig } from '../src/config/app-config.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { EXPLANATION_DUE, justAfter, START } from './support/case-life.js';
import { parseExposition, type Sample, valueOf } from './support/prometheus.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'scraper-token-0123456789-abcdefghij';

describe('GET /metrics', () => {
  let t: TestApp;
  let cast: Cast;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ METRICS_TOKEN, SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
    t.clock.set(START);
    cast = await createCast(t);
    admin = await t.adminToken();
  });
  afterAll(() => t.stop());

  const scrape = async (): Promise<Sample[]> => {
    const response = await t.http.get('/metrics').set(auth(admin)).expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(response.text);
  };

  it('is never public: an admin or the configured scraper token only', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http.get('/metrics').set(auth(cast.officer)).expect(403);
    await t.http.get('/metrics').set(auth(cast.leader)).expect(403);
    await t.http.get('/metrics').set(auth('not-the-token-0123456789-abcdefghij')).expect(401);
    const scraped = await t.http.get('/metrics').set(auth(METRICS_TOKEN)).expect(200);
    expect(scraped.text).toContain('case_review_http_requests_total');
  });

  it('refuses a scraper token shorter than 32 characters at start-up', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32 characters/);
  });

  it('counts requests by route template and status, and commands by type and outcome', async () => {
    const opened = await openCase(t, cast);
    await openCase(t, cast);
    // Refused: the cadre may not assess (403); the officer may not review (403 too, a role); a 409 from the state.
    await t.http.post(`/cases/${opened.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(409);
    await t.http.post('/cases').set(auth(cast.officer)).send({}).expect(400);
    const samples = await scrape();

    expect(valueOf(samples, 'case_review_http_requests_total', { method: 'POST', route: '/cases', status: '201' })).toBe(2);
    expect(valueOf(samples, 'case_review_http_requests_total', { method: 'POST', route: '/cases/:id/review', status: '409' })).toBe(1);
    // Route templates, never URLs: no case id appears among the labels.
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes(opened.id)))).toBe(false);
    expect(valueOf(samples, 'case_review_http_request_duration_seconds_count', { method: 'POST', route: '/cases', status: '201' })).toBe(2);

    expect(valueOf(samples, 'case_review_commands_total', { command: 'open', outcome: 'accepted' })).toBe(2);
    expect(valueOf(samples, 'case_review_commands_total', { command: 'review', outcome: 'refused', status: '409' })).toBe(1);
    // The 400 never reached a command: validation refused the body first.
    expect(valueOf(samples, 'case_review_commands_total', { command: 'open', outcome: 'refused' })).toBeUndefined();
  });

  it('shows the unit of work: queue depth, batch sizes, commit latency', async () => {
    const samples = await scrape();
    expect(valueOf(samples, 'case_review_unit_of_work_queue_depth')).toBe(0);
    expect(valueOf(samples, 'case_review_unit_of_work_batch_size_count')).toBeGreaterThan(0);
    expect(valueOf(samples, 'case_review_unit_of_work_commit_seconds_count')).toBe(
      valueOf(samples, 'case_review_unit_of_work_batch_size_count'),
    );
    expect(valueOf(samples, 'case_review_unit_of_work_commit_seconds_sum')).toBeGreaterThan(0);
  });

  it('shows open and overdue deadlines, and the sweeper runs', async () => {
    // The database figures are read at most every 5 s of the service's clock: a scrape within that repeats them.
    t.clock.advance(5001);
    const stale = await scrape();
    expect(valueOf(stale, 'case_review_deadlines_open')).toBeGreaterThanOrEqual(2);
    await openCase(t, cast);
    expect(valueOf(await scrape(), 'case_review_deadlines_open')).toBe(valueOf(stale, 'case_review_deadlines_open'));
    t.clock.advance(5001);
    const before = await scrape();
    const open = valueOf(before, 'case_review_deadlines_open') ?? 0;
    expect(open).toBe((valueOf(stale, 'case_review_deadlines_open') ?? 0) + 1);
    expect(valueOf(before, 'case_review_deadlines_overdue')).toBe(0);
    // The first sweep runs at start-up.
    expect(valueOf(before, 'case_review_sweeper_runs_total', { job: 'deadlines', result: 'ok' })).toBe(1);

    t.clock.set(justAfter(EXPLANATION_DUE));
    const after = await scrape();
    expect(valueOf(after, 'case_review_deadlines_open')).toBe(open);
    expect(valueOf(after, 'case_review_deadlines_overdue')).toBe(open);
    t.clock.set(START);
  });

  it('shows evidence stored, each distinct file once', async () => {
    const { id } = await openCase(t, cast);
    await t.http.post(`/cases/${id}/evidence`).set(auth(cast.officer)).attach('file', SAMPLES.pdf, 'a.pdf').expect(201);
    await t.http.post(`/cases/${id}/evidence`).set(auth(cast.officer)).attach('file', SAMPLES.pdf, 'same-content.pdf').expect(201);
    await t.http.post(`/cases/${id}/evidence`).set(auth(cast.officer)).attach('file', SAMPLES.png, 'b.png').expect(201);
    // Past the figures' cache (5 s on the service's clock).
    t.clock.advance(10_000);
    const samples = await scrape();
    expect(valueOf(samples, 'case_review_evidence_files')).toBe(2);
    expect(valueOf(samples, 'case_review_evidence_stored_bytes')).toBe(SAMPLES.pdf.length + SAMPLES.png.length);
    expect(valueOf(samples, 'case_review_commands_total', { command: 'evidence', outcome: 'accepted' })).toBeGreaterThanOrEqual(1);
    t.clock.set(START);
  });

  it('carries the process figures too', async () => {
    const samples = await scrape();
    expect(valueOf(samples, 'case_review_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'case_review_nodejs_eventloop_lag_seconds')).toBeDefined();
  });
});
