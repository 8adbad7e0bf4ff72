/**
 * Checks a case dossier with nothing but the dossier itself (and, when given, the evidence files):
 * the hash chain, the chain head, the policy it names, a replay of every event through its machine
 * version and that policy, the case view against the replayed case, the evidence list against the
 * events, and each file's SHA-256 against the evidence it claims to be.
 *
 * Pure: no database, no server, no framework — `npm run verify-dossier` runs it on a file.
 */
import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';
import { z } from 'zod';

import { canonicalJson, verifyChain } from '../audit/hash-chain.js';
import { verifyInclusion } from '../audit/merkle.js';
import { parsePolicy, type Policy } from '../workflow/policy/policy-schema.js';
import { type EvidenceRecord, VIEW_FACTS } from '../workflow/replay/case-record.js';
import { firstDifference, replayCase } from '../workflow/replay/replay-case.js';

export const DOSSIER_FORMAT = 'case-review-dossier/1';

const eventSchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  at: z.string(),
  data: z.unknown(),
  machineVersion: z.number().int(),
  prevHash: z.string(),
  hash: z.string(),
});

const evidenceSchema = z.object({
  id: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  at: z.string(),
});

export const dossierSchema = z.object({
  format: z.literal(DOSSIER_FORMAT),
  generatedAt: z.string(),
  case: z.looseObject({
    id: z.string(),
    policy: z.object({ id: z.string(), version: z.number().int() }),
    correctiveActions: z.array(z.looseObject({ id: z.string(), createdAt: z.string() })).optional(),
  }),
  events: z.array(eventSchema).min(1),
  evidence: z.array(evidenceSchema),
  policy: z.unknown(),
  chainHead: z.object({ seq: z.number().int(), hash: z.string() }),
});

export type Dossier = z.infer<typeof dossierSchema>;

const proofSchema = z.object({
  at: z.string(),
  root: z.string(),
  size: z.number().int(),
  index: z.number().int(),
  leaf: z.string(),
  path: z.array(z.string()),
});

/**
 * A checkpoint inclusion proof (GET /cases/:id/checkpoint-proof) and the root the reader trusts, kept from
 * that checkpoint outside the system. Without a trusted root a proof shows nothing: anyone can make a
 * one-leaf tree whose root is their own leaf.
 */
export interface Anchor {
  proof: unknown;
  trustedRoot: string;
}

export interface EvidenceFile {
  name: string;
  bytes: Uint8Array;
}

export interface DossierReport {
  ok: boolean;
  /** every problem found, most fundamental first; the first is the one to report */
  problems: string[];
  caseId: string | null;
  events: number;
  filesChecked: number;
  /** when an anchor was given and holds: the checkpoint instant and the seq it covers */
  anchored: { at: string; seq: number } | null;
}

const show = (value: unknown): string => canonicalize(value ?? null) ?? String(value);
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

export function checkDossier(raw: unknown, files: readonly EvidenceFile[] = [], anchor?: Anchor): DossierReport {
  const parsed = dossierSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return report(null, 0, 0, [`dossier is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`]);
  }
  const dossier = parsed.data;
  const caseId = dossier.case.id;
  const problems: string[] = [];

  let policy: Policy | null = null;
  try {
    policy = parsePolicy(dossier.policy, 'dossier policy');
  } catch (error) {
    problems.push((error as Error).message);
  }

  const chain = verifyChain(dossier.events.map((e) => ({ ...e, caseId, data: canonicalJson(e.data) })));
  if (!chain.valid) {
    problems.push(`event seq ${chain.firstInvalidSeq}: the hash chain is broken here (edited, removed or reordered event)`);
  }
  const last = dossier.events.at(-1)!;
  if (dossier.chainHead.seq !== last.seq || dossier.chainHead.hash !== last.hash) {
    problems.push(`chainHead ${show(dossier.chainHead)} is not the last event (seq ${last.seq}, hash ${last.hash})`);
  }

  if (policy) {
    const pinned = dossier.case.policy;
    if (policy.id !== pinned.id || policy.version !== pinned.version) {
      problems.push(`the dossier's policy is ${policy.id} v${policy.version} but the case pins ${pinned.id} v${pinned.version}`);
    }
    const { record, divergence } = replayCase(caseId, dossier.events, (id, version) =>
      id === policy.id && version === policy.version ? policy : undefined,
    );
    const difference = record && !divergence ? safely(() => firstDifference(record, dossier.case, VIEW_FACTS), problems) : null;
    if (divergence) {
      problems.push(
        `event seq ${divergence.seq}: ${divergence.reason} (expected ${show(divergence.expected)}, found ${show(divergence.actual)})`,
      );
    } else if (record) {
      if (difference) {
        problems.push(
          `case.${difference.field} differs from what its events produce: expected ${show(difference.expected)}, found ${show(difference.actual)}`,
        );
      }
      problems.push(...evidenceProblems(record.evidence, dossier.evidence));
    }
  }

  problems.push(...fileProblems(dossier.evidence, files));
  const anchored = anchor ? checkAnchor(dossier, anchor, problems) : null;
  return { ...report(caseId, dossier.events.length, files.length, problems), anchored };
}

/** Runs a check whose input a forger shaped; a crash is reported as a problem, not thrown. */
function safely<T>(check: () => T, problems: string[]): T | null {
  try {
    return check();
  } catch (error) {
    problems.push(`the case view cannot be compared with its history: ${(error as Error).message}`);
    return null;
  }
}

function report(caseId: string | null, events: number, filesChecked: number, problems: string[]): DossierReport {
  return { ok: problems.length === 0, problems, caseId, events, filesChecked, anchored: null };
}

/** The proof must lead from one of the dossier's own events to the (trusted) checkpoint root. */
function checkAnchor(dossier: Dossier, anchor: Anchor, problems: string[]): { at: string; seq: number } | null {
  const parsed = proofSchema.safeParse(anchor.proof);
  if (!parsed.success) {
    problems.push(`checkpoint proof is malformed at ${parsed.error.issues[0].path.join('.') || '(root)'}`);
    return null;
  }
  const proof = parsed.data;
  const [leafCase, leafSeq, leafHash] = proof.leaf.split(' ');
  const event = dossier.events.find((e) => e.seq === Number(leafSeq));
  const before = problems.length;
  if (leafCase !== dossier.case.id || !event || event.hash !== leafHash) {
    problems.push(`checkpoint proof's leaf "${proof.leaf}" is not an event of this dossier`);
  }
  if (!verifyInclusion(proof)) {
    problems.push('checkpoint proof does not lead from its leaf to its root');
  }
  if (anchor.trustedRoot !== proof.root) {
    problems.push(`checkpoint proof's root ${proof.root} is not the trusted root ${anchor.trustedRoot}`);
  }
  return problems.length === before ? { at: proof.at, seq: Number(leafSeq) } : null;
}

/** The evidence list must be exactly the evidence the events recorded. */
function evidenceProblems(recorded: readonly EvidenceRecord[], listed: readonly EvidenceRecord[]): string[] {
  const problems: string[] = [];
  const byId = new Map(listed.map((e) => [e.id, e]));
  for (const event of recorded) {
    const entry = byId.get(event.id);
    if (!entry) {
      problems.push(`evidence ${event.id} (${event.filename}) was added by an event but is missing from the evidence list`);
    } else if (show(entry) !== show(event)) {
      problems.push(`evidence ${event.id} differs from its audit event: expected ${show(event)}, found ${show(entry)}`);
    }
    byId.delete(event.id);
  }
  for (const extra of byId.values()) {
    problems.push(`evidence ${extra.id} (${extra.filename}) is listed but no event added it`);
  }
  return problems;
}

/** Each file given must be byte-for-byte one of the case's evidence. */
function fileProblems(listed: readonly EvidenceRecord[], files: readonly EvidenceFile[]): string[] {
  return files.flatMap((file) => {
    const digest = sha256(file.bytes);
    if (listed.some((e) => e.sha256 === digest)) {
      return [];
    }
    const named = listed.find((e) => e.filename === baseName(file.name));
    return named
      ? [`file ${file.name}: sha256 ${digest} does not match evidence ${named.id} (${named.filename}, sha256 ${named.sha256})`]
      : [`file ${file.name}: sha256 ${digest} matches no evidence in the dossier`];
  });
}
