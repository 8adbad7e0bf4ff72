import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { EvidenceSweeper, ORPHAN_AGE_MS } from '../src/evidence/evidence-sweeper.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { auth, TestApp } from './support/test-app.js';

/**
 * Issue 16: stored evidence files that no row names (a file put in place before its transaction rolled
 * back, or left by a crash) are swept once untouched for an hour — and never one an upload is about to
 * name. Real files in the test's temporary data folder; time from the injectable clock (uploads stamp a
 * file's modification time with it).
 */
describe('the sweep of unreferenced evidence files', () => {
  let t: TestApp;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
    cast = await createCast(t);
    caseId = (await openCase(t, cast)).id;
  });
  afterAll(() => t.stop());

  const root = () => join(t.dataDir, 'evidence');
  const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
  const pathOf = (bytes: Buffer) => join(root(), sha256(bytes).slice(0, 2), sha256(bytes));
  const unique = (): Buffer => Buffer.from(`evidence ${randomUUID()}\n`, 'utf8');
  const sweeper = () => t.app.get(EvidenceSweeper);
  const stampNow = (path: string) => utimesSync(path, t.clock.now(), t.clock.now());
  /** A stored file no row names, as a rolled-back command or a crash leaves it, written "now" by the clock. */
  const orphan = (bytes: Buffer = unique()): Buffer => {
    mkdirSync(join(root(), sha256(bytes).slice(0, 2)), { recursive: true });
    writeFileSync(pathOf(bytes), bytes);
    stampNow(pathOf(bytes));
    return bytes;
  };
  const upload = async (bytes: Buffer) => {
    const response = await t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.cadre)).attach('file', bytes, 'note.txt');
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };
  const downloads = async (id: string, bytes: Buffer) => {
    const response = await t.http.get(`/cases/${caseId}/evidence/${id}`).set(auth(cast.officer)).responseType('blob').expect(200);
    expect(response.body).toEqual(bytes);
  };
  const dotFiles = () => readdirSync(root()).filter((name) => name.startsWith('.'));

  beforeEach(() => t.clock.advance(2 * ORPHAN_AGE_MS)); // every test starts with the others' files old

  it('removes a file no row names once untouched for an hour; keeps referenced and younger files', async () => {
    const kept = unique();
    const { id } = await upload(kept);
    const stale = orphan();
    t.clock.advance(30 * 60 * 1000);
    const young = orphan();
    expect(await sweeper().sweep()).toBe(0); // the stale one is only 30 minutes old so far
    t.clock.advance(30 * 60 * 1000 + 1);
    expect(await sweeper().sweep()).toBe(1);
    expect(existsSync(pathOf(stale))).toBe(false);
    expect(existsSync(pathOf(young))).toBe(true);
    expect(existsSync(pathOf(kept))).toBe(true); // an hour old, but a row names it
    await downloads(id, kept);
    expect(dotFiles()).toEqual([]);
  });

  it('removes temporary files of uploads that died over an hour ago, not those of uploads under way', async () => {
    const dead = join(root(), `.upload-${randomUUID()}`);
    writeFileSync(dead, 'half an upload');
    stampNow(dead);
    t.clock.advance(ORPHAN_AGE_MS + 1);
    const live = join(root(), `.upload-${randomUUID()}`);
    writeFileSync(live, 'an upload under way');
    stampNow(live);
    await sweeper().sweep();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('never deletes a file an upload names after the sweep looked: the upload’s touch before its commit keeps it', async () => {
    const bytes = orphan();
    t.clock.advance(ORPHAN_AGE_MS + 1);
    const found = await sweeper().candidates();
    expect(found.stored).toContain(sha256(bytes));
    // the same content is uploaded between the sweep's look and its removal
    const { id } = await upload(bytes);
    expect(await sweeper().remove(found)).toBe(0);
    await downloads(id, bytes);
    expect(dotFiles()).toEqual([]);
  });

  it('keeps a file touched by an upload whose row is not committed yet, and puts it back in place', async () => {
    const bytes = orphan();
    t.clock.advance(ORPHAN_AGE_MS + 1);
    const found = await sweeper().candidates();
    stampNow(pathOf(bytes)); // EvidenceStorage.keep reused it; the command has not committed yet
    expect(await sweeper().remove(found)).toBe(0);
    expect(readFileSync(pathOf(bytes))).toEqual(bytes);
    expect(dotFiles()).toEqual([]);
  });

  it('an upload after the sweep removed its content stores the bytes again', async () => {
    const bytes = orphan();
    t.clock.advance(ORPHAN_AGE_MS + 1);
    await sweeper().sweep();
    expect(existsSync(pathOf(bytes))).toBe(false);
    const { id } = await upload(bytes);
    await downloads(id, bytes);
  });

  it('settles the claims of a sweep that died: a referenced file goes back in place, an unreferenced one goes', async () => {
    const referenced = unique();
    await upload(referenced);
    const lost = orphan();
    const claim = (bytes: Buffer) => join(root(), `.sweep-${sha256(bytes)}-${t.clock.now().getTime()}-${randomUUID()}`);
    const referencedClaim = claim(referenced);
    const lostClaim = claim(lost);
    renameSync(pathOf(referenced), referencedClaim);
    renameSync(pathOf(lost), lostClaim);
    expect((await sweeper().candidates()).claims).toEqual([]); // a claim this recent may belong to a sweep at work
    t.clock.advance(11 * 60 * 1000);
    await sweeper().sweep();
    expect(readFileSync(pathOf(referenced))).toEqual(referenced);
    expect(existsSync(pathOf(lost))).toBe(false);
    expect(dotFiles()).toEqual([]);
  });
});
