import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';

import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { DECISION_FACTORS } from '../src/workflow/case-types.js';
import { type CaseBody, type Cast, createCast, openCase } from './support/case-actors.js';
import { APPEAL_DUE, auditOf, caseView, decidedCase, justAfter, startQuietApp, sweep } from './support/case-life.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, type TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface EvidenceBody {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploaderRole: string;
  at: string;
  caseVersion: number;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Evidence (证据材料): upload as a case command, content-addressed storage, scoped reads, citations. */
describe('evidence', () => {
  let t: TestApp;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await startQuietApp();
    cast = await createCast(t);
    caseId = (await openCase(t, cast)).id;
  });
  afterAll(() => t.stop());

  const upload = (user: TestUser, id: string, bytes: Buffer, filename: string) =>
    t.http.post(`/cases/${id}/evidence`).set(auth(user)).attach('file', bytes, filename);
  const uploaded = async (user: TestUser, id: string, bytes: Buffer, filename: string): Promise<EvidenceBody> => {
    const response = await upload(user, id, bytes, filename);
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    return response.body as EvidenceBody;
  };
  const storedPath = (hash: string) => join(t.dataDir, 'evidence', hash.slice(0, 2), hash);
  const leftovers = () => readdirSync(join(t.dataDir, 'evidence')).filter((name) => name.startsWith('.upload-'));
  const evidenceRows = (id: string) =>
    t.app.get(UnitOfWork).run(async (manager) => (await runSql(manager, 'SELECT * FROM evidence WHERE case_id = ?', [id])).rows);
  const download = (user: TestUser, id: string, eid: string) => t.http.get(`/cases/${id}/evidence/${eid}`).set(auth(user));
  /** A download whose body is kept as raw bytes, whatever its media type. */
  const downloadBytes = (user: TestUser, id: string, eid: string) => download(user, id, eid).responseType('blob');
  /** Asserts the refused upload left nothing: no row, no audit event, same version, no file, no temp file. */
  const refusedWithoutTrace = async (id: string, bytes: Buffer, act: () => Promise<Response>): Promise<Response> => {
    const rowsBefore = (await evidenceRows(id)).length;
    const response = await withoutWriting(t, cast.officer, id, act);
    expect(await evidenceRows(id)).toHaveLength(rowsBefore);
    expect(existsSync(storedPath(sha256(bytes)))).toBe(false);
    expect(leftovers()).toEqual([]);
    return response;
  };

  describe('POST /cases/:id/evidence', () => {
    it('the subject cadre uploads to their own case: 201, stored under its sha256, hashed into the audit chain', async () => {
      const before = await caseView(t, cast.officer, caseId);
      const body = await uploaded(cast.cadre, caseId, SAMPLES.pdf, 'statement.pdf');
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        filename: 'statement.pdf',
        mediaType: 'application/pdf',
        size: SAMPLES.pdf.length,
        sha256: sha256(SAMPLES.pdf),
        uploadedBy: cast.cadre.id,
        uploaderRole: 'cadre',
        at: t.clock.now().toISOString(),
        caseVersion: before.version + 1,
      });
      expect(readFileSync(storedPath(body.sha256))).toEqual(SAMPLES.pdf);
      expect(leftovers()).toEqual([]);

      const after = await caseView(t, cast.officer, caseId);
      expect(after).toMatchObject({ state: before.state, version: before.version + 1 });
      const audit = await auditOf(t, cast.officer, caseId);
      expect(audit.at(-1)).toMatchObject({
        type: 'evidence.added',
        actorId: cast.cadre.id,
        actorRole: 'cadre',
        data: {
          evidenceId: body.id,
          filename: 'statement.pdf',
          mediaType: 'application/pdf',
          size: SAMPLES.pdf.length,
          sha256: sha256(SAMPLES.pdf),
          transition: { from: 'awaitingExplanation', to: 'awaitingExplanation' },
          caseVersion: before.version + 1,
        },
      });
      const verify = await t.http.get(`/cases/${caseId}/audit/verify`).set(auth(cast.officer)).expect(200);
      expect(verify.body).toMatchObject({ valid: true, length: audit.length });
    });

    it('an officer uploads too, as officer; the same bytes in another case are stored once', async () => {
      const body = await uploaded(cast.assessor, caseId, SAMPLES.jpeg, 'site-photo.jpg');
      expect(body).toMatchObject({ uploadedBy: cast.assessor.id, uploaderRole: 'officer', mediaType: 'image/jpeg' });
      expect((await auditOf(t, cast.officer, caseId)).at(-1)).toMatchObject({ type: 'evidence.added', actorRole: 'officer' });

      const other = (await openCase(t, cast)).id;
      const again = await uploaded(cast.officer, other, SAMPLES.jpeg, 'same-photo.jpg');
      expect(again.id).not.toBe(body.id);
      expect(again.sha256).toBe(body.sha256);
      expect(readdirSync(join(t.dataDir, 'evidence', body.sha256.slice(0, 2))).filter((name) => name === body.sha256)).toHaveLength(1);
      expect(readFileSync(storedPath(body.sha256))).toEqual(SAMPLES.jpeg);
    });

    it('the content decides the type, not the name: PNG bytes named .pdf are stored as image/png, named .png', async () => {
      expect(await uploaded(cast.officer, caseId, SAMPLES.png, 'scan.pdf')).toMatchObject({ filename: 'scan.png', mediaType: 'image/png' });
    });

    it('accepts office documents and UTF-8 text (with Chinese), keeping a Chinese file name', async () => {
      const docx = await uploaded(cast.officer, caseId, SAMPLES.docx, '会议纪要.docx');
      expect(docx).toMatchObject({
        filename: '会议纪要.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      });
      const text = await uploaded(cast.cadre, caseId, SAMPLES.text, '情况说明.txt');
      expect(text).toMatchObject({ filename: '情况说明.txt', mediaType: 'text/plain; charset=utf-8', size: SAMPLES.text.length });
    });

    it.each([
      ['an ELF executable', SAMPLES.elf, 'application/x-elf'],
      ['a Windows executable', SAMPLES.exe, 'application/x-msdownload'],
      ['a zip archive', SAMPLES.zip, 'application/zip'],
      ['random binary data', SAMPLES.binary, 'unrecognised binary data'],
    ])('refuses %s named x.pdf: 415 naming the file and the detected type, nothing written', async (_name, bytes, detected) => {
      const response = await refusedWithoutTrace(caseId, bytes, () => upload(cast.officer, caseId, bytes, 'x.pdf'));
      expectRefusal(response, 415, 'file: ');
      expect(response.body.message).toContain(detected);
    });

    it('refuses a file over 10 MB: 413 naming the file, nothing written', async () => {
      const big = Buffer.alloc(11 * 1024 * 1024, 'a');
      const response = await refusedWithoutTrace(caseId, big, () => upload(cast.officer, caseId, big, 'big.txt'));
      expectRefusal(response, 413, 'file: larger than the 10 MB limit');
    });

    it('accepts a file of exactly 10 MB', async () => {
      const limit = Buffer.alloc(10 * 1024 * 1024, 'b');
      expect(await uploaded(cast.officer, caseId, limit, 'limit.txt')).toMatchObject({ size: limit.length, sha256: sha256(limit) });
    });

    it('refuses a request without the file field (400 naming file), an empty file and a JSON body', async () => {
      const noFile = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.officer)).field('note', 'no file'),
      );
      expectRefusal(noFile, 400, 'file');
      const wrongField = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.officer)).attach('document', SAMPLES.pdf, 'a.pdf'),
      );
      expectRefusal(wrongField, 400, 'file');
      const empty = await withoutWriting(t, cast.officer, caseId, () => upload(cast.officer, caseId, Buffer.alloc(0), 'empty.txt'));
      expectRefusal(empty, 400, 'file: is empty');
      const json = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.officer)).send({ file: 'x' }),
      );
      expectRefusal(json, 400, 'file');
      expect(leftovers()).toEqual([]);
    });

    it('refuses another cadre (404), a leader (403) and a recused officer (403), writing nothing to the case', async () => {
      const stranger = await t.user(['cadre']);
      expectRefusal(await withoutWriting(t, cast.officer, caseId, () => upload(stranger, caseId, SAMPLES.gif, 'a.gif')), 404);
      expectRefusal(await withoutWriting(t, cast.officer, caseId, () => upload(cast.leader, caseId, SAMPLES.gif, 'a.gif')), 403);
      const recused = await t.user(['officer']);
      await t.http
        .post('/conflicts')
        .set(auth(recused))
        .send({ userId: recused.id, subjectId: cast.cadre.id, reason: 'my cousin' })
        .expect(201);
      const response = await withoutWriting(t, cast.officer, caseId, () => upload(recused, caseId, SAMPLES.gif, 'a.gif'));
      expectRefusal(response, 403, '回避');
      expect(response.body.refusal).toBe('RECUSAL');
      const log = await t.http.get(`/cases/${caseId}/access-log`).set(auth(cast.officer)).expect(200);
      expect(log.body.filter((entry: { userId: string }) => entry.userId === recused.id)).toEqual([
        expect.objectContaining({ userId: recused.id, action: 'evidence', reason: expect.stringContaining('回避') }),
      ]);
    });

    it('stores nothing from a caller who may not add evidence: the check comes before the bytes are kept', async () => {
      const stranger = await t.user(['cadre']);
      const unique = Buffer.from(`stranger's upload ${randomUUID()}\n`, 'utf8');
      const hash = createHash('sha256').update(unique).digest('hex');
      expectRefusal(await upload(stranger, caseId, unique, 'spam.txt'), 404);
      expectRefusal(await upload(cast.leader, caseId, unique, 'spam.txt'), 403);
      expect(existsSync(storedPath(hash))).toBe(false);
      expect(leftovers()).toEqual([]);
    });

    it('lists evidence among the actions of the subject and of officers, and honours If-Match', async () => {
      const view = await caseView(t, cast.cadre, caseId);
      expect(view.allowedActions).toEqual(['explanation', 'evidence']);
      expect((await caseView(t, cast.officer, caseId)).allowedActions).toEqual(['withdraw', 'evidence']);
      const stale = await withoutWriting(t, cast.officer, caseId, () =>
        upload(cast.officer, caseId, SAMPLES.gif, 'a.gif').set('If-Match', String(view.version - 1)),
      );
      expectRefusal(stale, 412);
      expect(stale.body.refusal).toBe('STALE_VERSION');
      const fresh = await upload(cast.officer, caseId, SAMPLES.gif, 'a.gif').set('If-Match', String(view.version));
      expect(fresh.status).toBe(201);
    });
  });

  describe('GET /cases/:id/evidence and /cases/:id/evidence/:eid', () => {
    let scoped: string;
    let pdf: EvidenceBody;
    let text: EvidenceBody;

    beforeAll(async () => {
      scoped = (await openCase(t, cast)).id;
      pdf = await uploaded(cast.cadre, scoped, SAMPLES.pdf, 'statement.pdf');
      t.clock.advance(1000);
      text = await uploaded(cast.officer, scoped, SAMPLES.text, '情况 说明.txt');
    });

    it('lists the metadata in upload order, for everyone who sees the case', async () => {
      const admin = await t.adminToken();
      for (const viewer of [cast.cadre, cast.officer, cast.leader, admin]) {
        const response = await t.http.get(`/cases/${scoped}/evidence`).set(auth(viewer)).expect(200);
        expect(response.body).toEqual([pdf, text]);
      }
    });

    it('downloads the bytes unchanged, with media type, attachment name (RFC 5987) and the sha256 as ETag', async () => {
      const response = await downloadBytes(cast.officer, scoped, text.id).expect(200);
      expect(response.body).toEqual(SAMPLES.text);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="__ __.txt"; filename*=UTF-8''${encodeURIComponent('情况 说明.txt')}`,
      );
      expect(response.headers['etag']).toBe(`"${sha256(SAMPLES.text)}"`);
      expect(response.headers['x-content-type-options']).toBe('nosniff');

      const own = await downloadBytes(cast.cadre, scoped, pdf.id).expect(200);
      expect(own.body).toEqual(SAMPLES.pdf);
      expect(own.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="statement.pdf"',
      });
    });

    it('answers 304 when the client already holds that content', async () => {
      const response = await download(cast.officer, scoped, pdf.id).set('If-None-Match', `"${pdf.sha256}"`);
      expect(response.status).toBe(304);
    });

    it('hides another cadre’s case entirely (404 on list and download) and unknown evidence (404)', async () => {
      const stranger = await t.user(['cadre']);
      expectRefusal(await t.http.get(`/cases/${scoped}/evidence`).set(auth(stranger)), 404);
      expectRefusal(await download(stranger, scoped, pdf.id), 404);
      expectRefusal(await download(cast.officer, scoped, randomUUID()), 404, 'evidence');
      // evidence of one case is not reachable through another
      expectRefusal(await download(cast.officer, caseId, pdf.id), 404, 'evidence');
      expectRefusal(await download(cast.officer, scoped, 'nope'), 400, 'eid');
    });

    describe('disguised files (issue 16): the name follows the content, without bidi or control characters', () => {
      const script = Buffer.from('start calc.exe\r\n', 'utf8');

      it('text named statement<RLO>fdp.bat (shown as "statementtab.pdf") is stored, listed and downloaded as .txt', async () => {
        const body = await uploaded(cast.cadre, scoped, script, 'statement\u202Efdp.bat');
        expect(body).toMatchObject({ filename: 'statementfdp.txt', mediaType: 'text/plain; charset=utf-8' });
        const listed = (await t.http.get(`/cases/${scoped}/evidence`).set(auth(cast.officer)).expect(200)).body as EvidenceBody[];
        expect(listed.find((e) => e.id === body.id)?.filename).toBe('statementfdp.txt');
        const response = await downloadBytes(cast.officer, scoped, body.id).expect(200);
        expect(response.headers['content-disposition']).toBe('attachment; filename="statementfdp.txt"');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect((await auditOf(t, cast.officer, scoped)).at(-1)?.data).toMatchObject({ evidenceId: body.id, filename: 'statementfdp.txt' });
      });

      it.each(['invoice.hta', 'run.js', 'shortcut.url', '\u2067photo\u2069.cmd'])('text named %j downloads as .txt', async (name) => {
        const body = await uploaded(cast.officer, scoped, script, name);
        expect(body.filename).toMatch(/^[a-z]+\.txt$/);
        const response = await downloadBytes(cast.officer, scoped, body.id).expect(200);
        expect(response.headers['content-disposition']).toBe(`attachment; filename="${body.filename}"`);
      });

      it('a row stored before the fix with a bidi name and an executable extension is listed and served safely', async () => {
        const body = await uploaded(cast.officer, scoped, script, 'legacy.txt');
        await t.database.query('UPDATE evidence SET filename = ? WHERE id = ?', 'report\u202Efdp.exe\u0007', body.id);
        const listed = (await t.http.get(`/cases/${scoped}/evidence`).set(auth(cast.cadre)).expect(200)).body as EvidenceBody[];
        expect(listed.find((e) => e.id === body.id)?.filename).toBe('reportfdp.txt');
        const response = await downloadBytes(cast.cadre, scoped, body.id).expect(200);
        expect(response.headers['content-disposition']).toBe('attachment; filename="reportfdp.txt"');
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      });
    });

    it('hides the case from officers of another unit (404)', async () => {
      const elsewhere = await t.user(['officer'], await t.createUnit('Another county'));
      expectRefusal(await t.http.get(`/cases/${scoped}/evidence`).set(auth(elsewhere)), 404);
      expectRefusal(await download(elsewhere, scoped, pdf.id), 404);
    });
  });

  describe('citing evidence', () => {
    let own: EvidenceBody;
    let foreign: EvidenceBody;
    let citing: CaseBody;

    beforeAll(async () => {
      citing = await openCase(t, cast);
      own = await uploaded(cast.cadre, citing.id, SAMPLES.pdf, 'own.pdf');
      foreign = await uploaded(cast.officer, (await openCase(t, cast)).id, SAMPLES.png, 'foreign.png');
    });

    const explain = (body: object) => t.http.post(`/cases/${citing.id}/explanation`).set(auth(cast.cadre)).send(body);
    const assess = (body: object) =>
      t.http
        .post(`/cases/${citing.id}/assessment`)
        .set(auth(cast.assessor))
        .send({ ...TOLERABLE_ASSESSMENT, ...body });

    it('an explanation citing unknown evidence or another case’s evidence: 422 naming evidenceIds, nothing written', async () => {
      for (const ids of [[randomUUID()], [own.id, foreign.id]]) {
        const response = await withoutWriting(t, cast.officer, citing.id, () => explain({ statement: 'see attached', evidenceIds: ids }));
        expectRefusal(response, 422, 'evidenceIds');
        expect(response.body.message).toContain(ids.at(-1));
      }
    });

    it('refuses malformed evidenceIds with 400', async () => {
      expectRefusal(await explain({ statement: 'x', evidenceIds: ['not-a-uuid'] }), 400, 'evidenceIds');
      expectRefusal(await explain({ statement: 'x', evidenceIds: [own.id, own.id] }), 400, 'evidenceIds');
      expectRefusal(await explain({ statement: 'x', evidenceIds: Array.from({ length: 51 }, () => randomUUID()) }), 400, 'evidenceIds');
    });

    it('an explanation citing the case’s own evidence keeps the ids on the case and in the audit event', async () => {
      const response = await explain({ statement: 'see the attached statement', evidenceIds: [own.id] }).expect(200);
      expect(response.body.explanationEvidenceIds).toEqual([own.id]);
      expect((await caseView(t, cast.officer, citing.id)).explanationEvidenceIds).toEqual([own.id]);
      expect((await auditOf(t, cast.officer, citing.id)).at(-1)).toMatchObject({
        type: 'explanation.submitted',
        data: { statement: 'see the attached statement', evidenceIds: [own.id] },
      });
    });

    it('an assessment with an unknown factor or a non-uuid: 400 naming evidence.<factor>', async () => {
      const unknownKey = await withoutWriting(t, cast.officer, citing.id, () => assess({ evidence: { mood: [own.id] } }));
      expectRefusal(unknownKey, 400, 'evidence.mood');
      const notUuid = await withoutWriting(t, cast.officer, citing.id, () => assess({ evidence: { 'conditions.remedied': ['x'] } }));
      expectRefusal(notUuid, 400, 'evidence.conditions.remedied');
      expectRefusal(await assess({ evidence: [own.id] }), 400, 'evidence');
    });

    it('an assessment citing evidence the case does not have: 422 naming evidence.<factor>, nothing written', async () => {
      const response = await withoutWriting(t, cast.officer, citing.id, () =>
        assess({ evidence: { intent: [own.id], 'conditions.diligent': [foreign.id] } }),
      );
      expectRefusal(response, 422, 'evidence.conditions.diligent');
      expect(response.body.message).not.toContain('evidence.intent');
    });

    it('an assessment citing the case’s own evidence stores it with the assessment and in the audit event', async () => {
      const evidence = { intent: [own.id], 'conditions.remedied': [own.id] };
      const response = await assess({ evidence }).expect(200);
      expect(response.body.assessment.evidence).toEqual(evidence);
      expect((await caseView(t, cast.cadre, citing.id)).assessment).toMatchObject({ evidence });
      const event = (await auditOf(t, cast.officer, citing.id)).at(-1);
      expect(event).toMatchObject({ type: 'assessment.recorded', data: { assessment: { evidence } } });
      const verify = await t.http.get(`/cases/${citing.id}/audit/verify`).set(auth(cast.officer)).expect(200);
      expect(verify.body.valid).toBe(true);
    });

    it('without citations, the explanation records evidenceIds [] and the assessment evidence {}', async () => {
      const plain = await openCase(t, cast);
      const explained = await t.http.post(`/cases/${plain.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
      expect(explained.body.explanationEvidenceIds).toEqual([]);
      const assessed = await t.http.post(`/cases/${plain.id}/assessment`).set(auth(cast.assessor)).send(TOLERABLE_ASSESSMENT).expect(200);
      expect(assessed.body.assessment.evidence).toEqual({});
      const audit = await auditOf(t, cast.officer, plain.id);
      expect(audit.find((e) => e.type === 'explanation.submitted')?.data.evidenceIds).toEqual([]);
      expect(audit.find((e) => e.type === 'assessment.recorded')?.data.assessment).toMatchObject({ evidence: {} });
    });
  });

  it('is described in the OpenAPI document: a multipart upload, and citations per decision factor', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths['/cases/{id}/evidence'].post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(doc.paths['/cases/{id}/evidence/{eid}'].get.responses)).toContain('200');
    expect(Object.keys(doc.components.schemas.FactorEvidenceDto.properties)).toEqual([...DECISION_FACTORS]);
  });

  // Last: the sweep that closes a case fires every due deadline, which would move the other cases on.
  describe('a finished case', () => {
    it('refuses uploads once a case is withdrawn or closed (409)', async () => {
      const withdrawn = (await openCase(t, cast)).id;
      await t.http.post(`/cases/${withdrawn}/withdraw`).set(auth(cast.officer)).send({ reason: 'unfounded report' }).expect(200);
      const afterWithdrawal = await withoutWriting(t, cast.officer, withdrawn, () => upload(cast.officer, withdrawn, SAMPLES.pdf, 'a.pdf'));
      expectRefusal(afterWithdrawal, 409, 'evidence: not possible while the case is withdrawn');

      const decided = await decidedCase(t, cast, 'tolerate');
      expect(decided.allowedActions).toEqual([]); // the reviewing leader's view
      expect((await caseView(t, cast.cadre, decided.id)).allowedActions).toEqual(['appeal', 'evidence']);
      t.clock.set(justAfter(APPEAL_DUE));
      await sweep(t);
      expect((await caseView(t, cast.officer, decided.id)).state).toBe('closed');
      const afterClosing = await withoutWriting(t, cast.officer, decided.id, () => upload(cast.cadre, decided.id, SAMPLES.pdf, 'a.pdf'));
      expectRefusal(afterClosing, 409, 'evidence: not possible while the case is closed');
    });
  });
});
