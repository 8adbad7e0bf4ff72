import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type ChainedEvent, GENESIS_HASH, hashWithData } from '../src/audit/hash-chain.js';
import { checkDossier } from '../src/dossier/check-dossier.js';
import { runVerifyDossier, USAGE } from '../src/dossier/verify-dossier-cli.js';
import { policyDigest } from '../src/workflow/policy/policy-digest.js';
import { type Cast, createCast } from './support/case-actors.js';
import { caseView, decidedCase, START, startQuietApp } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, type TestApp } from './support/test-app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a forger edits arbitrary JSON, deep paths included
type Json = Record<string, any>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A forger who also recomputes every hash, so only replay can tell. */
function rechain(dossier: Json): Json {
  let prevHash = GENESIS_HASH;
  dossier.events = dossier.events.map((event: Json, index: number) => {
    const chained = { ...(event as ChainedEvent), caseId: dossier.case.id as string, seq: index + 1, prevHash };
    const hash = hashWithData(chained, event.data);
    prevHash = hash;
    return { ...event, seq: chained.seq, prevHash: chained.prevHash, hash };
  });
  const last = dossier.events.at(-1);
  dossier.chainHead = { seq: last.seq, hash: last.hash };
  return dossier;
}

/** GET /cases/:id/dossier, and the offline checker run on it (in-process and as the CLI would). */
describe('case dossier and its offline verifier', () => {
  let t: TestApp;
  let cast: Cast;
  let id: string;
  let dossier: Json;

  beforeAll(async () => {
    t = await startQuietApp();
    cast = await createCast(t);
    t.clock.set(START);
    id = (await decidedCase(t, cast, 'correct')).id;
    await t.http.post(`/cases/${id}/evidence`).set(auth(cast.cadre)).attach('file', SAMPLES.text, 'statement.txt').expect(201);
    await t.http.post(`/cases/${id}/corrective-actions`).set(auth(cast.officer)).send({ description: 'Rectification plan' }).expect(201);
    const response = await t.http.get(`/cases/${id}/dossier`).set(auth(cast.cadre)).expect(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="case-${id}-dossier.json"`);
    dossier = response.body as Json;
  });
  afterAll(() => t.stop());

  const copy = (): Json => structuredClone(dossier);
  const problemsOf = (changed: Json) => checkDossier(changed).problems;

  it('carries the case, its events exactly as the audit endpoint shows them, the pinned policy and the chain head', async () => {
    const trail = (await t.http.get(`/cases/${id}/audit`).set(auth(cast.cadre)).expect(200)).body as Json[];
    expect(dossier.events).toEqual(trail);
    expect(dossier.chainHead).toEqual({ seq: 6, hash: trail[5].hash });
    expect(dossier.case).toEqual(await caseView(t, cast.cadre, id));
    const policy = (await t.http.get('/policies/default/1').set(auth(cast.cadre)).expect(200)).body as Json;
    expect(dossier.policy).toMatchObject({ id: 'default', version: 1, rules: policy.rules });
    const listed = (await t.http.get(`/cases/${id}/evidence`).set(auth(cast.cadre)).expect(200)).body as Json[];
    expect(dossier.evidence).toEqual([
      {
        id: listed[0].id,
        filename: 'statement.txt',
        mediaType: 'text/plain; charset=utf-8',
        size: SAMPLES.text.length,
        sha256: sha256(SAMPLES.text),
        uploadedBy: cast.cadre.id,
        at: listed[0].at,
      },
    ]);
    expect(dossier.format).toBe('case-review-dossier/1');
  });

  it('checks out offline', () => {
    expect(checkDossier(dossier)).toEqual({ ok: true, problems: [], caseId: id, events: 6, filesChecked: 0, anchored: null });
    expect(checkDossier(dossier, [{ name: 'statement.txt', bytes: SAMPLES.text }]).filesChecked).toBe(1);
    expect(checkDossier(dossier, [{ name: 'statement.txt', bytes: SAMPLES.text }]).ok).toBe(true);
  });

  it('names an edited, removed or reordered event through the chain', () => {
    const edited = copy();
    edited.events[1].data.statement = 'I was ordered to do it.';
    expect(problemsOf(edited)[0]).toBe('event seq 2: the hash chain is broken here (edited, removed or reordered event)');

    const removed = copy();
    removed.events.splice(2, 1);
    expect(problemsOf(removed)[0]).toMatch(/^event seq 4: the hash chain is broken/);

    const reordered = copy();
    [reordered.events[1], reordered.events[2]] = [reordered.events[2], reordered.events[1]];
    expect(problemsOf(reordered)[0]).toMatch(/^event seq 3: the hash chain is broken/);
  });

  it('names, through replay, a rewrite whose hashes were all recomputed', () => {
    const forged = copy();
    forged.events[3].data.outcome = 'tolerate';
    forged.case.outcome = 'tolerate';
    expect(problemsOf(rechain(forged))).toEqual([
      'event seq 4: approved outcome (the recommendation) differs from what replay gives (expected "correct", found "tolerate")',
    ]);

    const dropped = copy();
    dropped.events.splice(1, 1);
    expect(problemsOf(rechain(dropped))[0]).toMatch(
      /^event seq 2: assessment\.recorded \(assessment\.record\) is not possible while the case is awaitingExplanation/,
    );
  });

  it('names a case view that differs from its history', () => {
    const edited = copy();
    edited.case.state = 'closed';
    expect(problemsOf(edited)).toEqual(['case.state differs from what its events produce: expected "decided", found "closed"']);
    const cited = copy();
    cited.case.explanationEvidenceIds = ['00000000-0000-4000-8000-000000000000'];
    expect(problemsOf(cited)[0]).toMatch(/^case\.explanationEvidenceIds differs from what its events produce/);
  });

  it('reports a malformed case view instead of failing', () => {
    for (const correctiveActions of [{}, [null], [{ id: 1 }]]) {
      const broken = copy();
      broken.case.correctiveActions = correctiveActions;
      expect(problemsOf(broken)[0]).toMatch(/^dossier is malformed at case\.correctiveActions/);
    }
  });

  it('names a policy that is not the one the decision was made under', () => {
    const softer = copy();
    softer.policy.rules[2].when = { always: true }; // "tolerate" for everything that reaches rule 3
    expect(problemsOf(softer)[0]).toMatch(/^event seq 1: the rules of policy default v1 differ from those the case was opened under/);
    // Even with the digest in the opening rewritten to match (and every hash recomputed), the
    // recommendation no longer follows from the recorded assessment.
    const forged = copy();
    forged.policy.rules[2].when = { always: true };
    forged.events[0].data.policy.sha256 = policyDigest(forged.policy);
    expect(problemsOf(rechain(forged))[0]).toMatch(/^event seq 3: recommendation \(policy default v1 on the recorded assessment\) differs/);

    const other = copy();
    other.policy.version = 2;
    expect(problemsOf(other)[0]).toBe("the dossier's policy is default v2 but the case pins default v1");

    const broken = copy();
    delete broken.policy.rules;
    expect(problemsOf(broken)[0]).toMatch(/^dossier policy: rules: /);
  });

  it('names evidence that is not what the events recorded, and files that are not the evidence', () => {
    const renamed = copy();
    renamed.evidence[0].sha256 = 'f'.repeat(64);
    expect(problemsOf(renamed)[0]).toMatch(/^evidence .* differs from its audit event/);
    const dropped = copy();
    dropped.evidence = [];
    expect(problemsOf(dropped)[0]).toMatch(/^evidence .* \(statement\.txt\) was added by an event but is missing from the evidence list/);

    const forged = Buffer.from('情况说明：没有追回资金。\n', 'utf8');
    expect(checkDossier(dossier, [{ name: '/tmp/statement.txt', bytes: forged }]).problems).toEqual([
      `file /tmp/statement.txt: sha256 ${sha256(forged)} does not match evidence ${dossier.evidence[0].id} (statement.txt, sha256 ${sha256(SAMPLES.text)})`,
    ]);
    expect(checkDossier(dossier, [{ name: 'other.pdf', bytes: SAMPLES.pdf }]).problems[0]).toMatch(
      /^file other\.pdf: sha256 \w+ matches no evidence/,
    );
  });

  it('names a chain head that is not the last event, and a malformed document', () => {
    const head = copy();
    head.chainHead.seq = 4;
    expect(problemsOf(head)[0]).toMatch(/^chainHead .* is not the last event \(seq 6/);
    expect(problemsOf({ ...copy(), events: [] })[0]).toMatch(/^dossier is malformed at events/);
  });

  describe('anchored to a checkpoint kept elsewhere', () => {
    let root: string;
    let at: string;
    let proof: Json;

    beforeAll(async () => {
      t.clock.advance(60_000);
      ({ root, at } = (await t.http.get('/audit/checkpoint').set(auth(cast.leader)).expect(200)).body as { root: string; at: string });
      proof = (await t.http.get(`/cases/${id}/checkpoint-proof`).query({ asOf: at }).set(auth(cast.cadre)).expect(200)).body as Json;
    });

    it('proves the events of the dossier up to the checkpoint are the ones it covered', () => {
      expect(proof).toMatchObject({
        at,
        root,
        leaf: `${id} 6 ${dossier.chainHead.hash}`,
        index: expect.any(Number),
        size: expect.any(Number),
      });
      expect(checkDossier(dossier, [], { proof, trustedRoot: root })).toMatchObject({ ok: true, anchored: { at, seq: 6 } });
    });

    it('names a root that is not the trusted one, a proof that does not lead to its root, and a leaf from elsewhere', () => {
      expect(checkDossier(dossier, [], { proof, trustedRoot: 'f'.repeat(64) }).problems).toEqual([
        `checkpoint proof's root ${root} is not the trusted root ${'f'.repeat(64)}`,
      ]);
      expect(
        checkDossier(dossier, [], { proof: { ...proof, path: [...proof.path, 'ab'.repeat(32)] }, trustedRoot: root }).problems,
      ).toEqual(['checkpoint proof does not lead from its leaf to its root']);
      const other = copy();
      other.events[5].data.note = 'x';
      expect(checkDossier(rechain(other), [], { proof, trustedRoot: root }).problems).toContain(
        `checkpoint proof's leaf "${proof.leaf}" is not an event of this dossier`,
      );
    });

    it('is scoped as the case, and 404 before the case had any event', async () => {
      expectRefusal(await t.http.get(`/cases/${id}/checkpoint-proof`).set(auth(await t.user(['cadre']))), 404);
      expectRefusal(await t.http.get(`/cases/${id}/checkpoint-proof`).query({ asOf: '2020-01-01T00:00:00Z' }).set(auth(cast.cadre)), 404);
      expectRefusal(await t.http.get(`/cases/${id}/checkpoint-proof`).query({ asOf: 'soon' }).set(auth(cast.cadre)), 400, /asOf/);
      expectRefusal(
        await t.http.get(`/cases/${id}/checkpoint-proof`).query({ asOf: '2099-01-01' }).set(auth(cast.cadre)),
        400,
        'asOf: must not be later than now',
      );
    });

    it('is checked by the CLI with --proof and --root', () => {
      const dossierFile = join(t.dataDir, 'anchored.json');
      const proofFile = join(t.dataDir, 'proof.json');
      writeFileSync(dossierFile, JSON.stringify(dossier));
      writeFileSync(proofFile, JSON.stringify(proof));
      const result = runVerifyDossier([dossierFile, '--proof', proofFile, '--root', root]);
      expect(result.code).toBe(0);
      expect(result.lines[0]).toContain(`events up to seq 6 are in the checkpoint of ${at}`);
      expect(runVerifyDossier([dossierFile, '--proof', proofFile, '--root', '0'.repeat(64)]).code).toBe(1);
      expect(runVerifyDossier([dossierFile, '--root', root]).code).toBe(2);
      expect(runVerifyDossier([dossierFile, '--proof', proofFile]).code).toBe(2);
    });
  });

  describe('npm run verify-dossier', () => {
    const write = (name: string, content: Json) => {
      const path = join(t.dataDir, name);
      writeFileSync(path, JSON.stringify(content));
      return path;
    };

    it('exits 0 on the good dossier and 1 naming the first problem on a tampered copy', () => {
      const evidenceFile = join(t.dataDir, 'statement.txt');
      writeFileSync(evidenceFile, SAMPLES.text);
      const good = runVerifyDossier([write('good.json', dossier), evidenceFile]);
      expect(good.code).toBe(0);
      expect(good.lines[0]).toMatch(
        /^OK .*good\.json: case .*, 6 events — chain intact, replay matches the case, .*1 file\(s\) match their SHA-256/,
      );

      const tampered = copy();
      tampered.case.outcome = 'tolerate';
      const bad = runVerifyDossier([write('bad.json', tampered)]);
      expect(bad).toEqual({
        code: 1,
        lines: [expect.stringMatching(/^INVALID .*bad\.json: case\.outcome differs from what its events produce/)],
      });
    });

    it('exits 2 with usage or a read error', () => {
      expect(runVerifyDossier([])).toEqual({ code: 2, lines: [USAGE] });
      expect(runVerifyDossier([join(t.dataDir, 'missing.json')]).lines[0]).toMatch(/^cannot read .*missing\.json/);
    });
  });

  it('is scoped as the case', async () => {
    const stranger = await t.user(['cadre']);
    expectRefusal(await t.http.get(`/cases/${id}/dossier`).set(auth(stranger)), 404);
    expectRefusal(await t.http.get(`/cases/${id}/dossier`), 401);
    await t.http.get(`/cases/${id}/dossier`).set(auth(cast.leader)).expect(200);
  });
});
