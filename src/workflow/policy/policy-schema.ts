/**
 * The decision policy as data: the format of a versioned policy file (config/policies/*.json),
 * its zod schema and `parsePolicy`, which refuses a bad file with a message naming the file
 * and the field, e.g. `config/policies/default-v1.json: rules[2].when.fact: unknown fact "foo"`.
 *
 * Pure: no file access here; the caller reads the file and passes its parsed JSON.
 */
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';

import { type ConditionName, CONDITIONS, EXCLUSIONS, INTENTS, MOTIVES, NATURES, OUTCOMES, SEVERITIES } from '../case-types.js';

// ---------------------------------------------------------------------------------------------
// Facts a rule may read
// ---------------------------------------------------------------------------------------------

type ScalarFact = { kind: 'enum'; values: readonly string[] } | { kind: 'boolean' };
type FactSpec = ScalarFact | { kind: 'list'; values: readonly string[] };

export type FactName = 'intent' | 'motive' | 'nature' | 'severity' | 'exclusions' | 'repeatError' | `conditions.${ConditionName}`;

/** Every fact a condition may name, with the values it can take. */
export const POLICY_FACTS: Readonly<Record<FactName, FactSpec>> = {
  intent: { kind: 'enum', values: INTENTS },
  motive: { kind: 'enum', values: MOTIVES },
  nature: { kind: 'enum', values: NATURES },
  severity: { kind: 'enum', values: SEVERITIES },
  exclusions: { kind: 'list', values: EXCLUSIONS },
  repeatError: { kind: 'boolean' },
  'conditions.policyCompliant': { kind: 'boolean' },
  'conditions.procedureFollowed': { kind: 'boolean' },
  'conditions.diligent': { kind: 'boolean' },
  'conditions.remedied': { kind: 'boolean' },
};

function isFactName(name: string): name is FactName {
  return Object.hasOwn(POLICY_FACTS, name);
}

// ---------------------------------------------------------------------------------------------
// Condition language
// ---------------------------------------------------------------------------------------------

export type FactValue = string | boolean;

export type LeafCheck =
  | { fact: FactName; equals: FactValue }
  | { fact: FactName; in: FactValue[] }
  | { fact: FactName; notIn: FactValue[] }
  | { fact: FactName; includesAny: string[] }
  | { fact: FactName; nonEmpty: true };

export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | { always: true } | LeafCheck;

export const LEAF_OPS = ['equals', 'in', 'notIn', 'includesAny', 'nonEmpty'] as const;
export type LeafOp = (typeof LEAF_OPS)[number];
const COMBINATORS = ['all', 'any', 'not', 'always'] as const;

const SCALAR_OPS: readonly LeafOp[] = ['equals', 'in', 'notIn'];
const LIST_OPS: readonly LeafOp[] = ['includesAny', 'nonEmpty'];

type Path = (string | number)[];
interface Problem {
  path: Path;
  reason: string;
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural and value checks of one condition tree; returns the problems found (empty = valid). */
function checkCondition(c: unknown, path: Path): Problem[] {
  if (!isPlainObject(c)) {
    return [{ path, reason: 'expected a condition object' }];
  }
  const keys = Object.keys(c);
  if ('fact' in c) {
    return checkLeaf(c, path);
  }

  const combinators = keys.filter((k) => (COMBINATORS as readonly string[]).includes(k));
  if (combinators.length !== 1 || keys.length !== 1) {
    const extra = keys.find((k) => !(COMBINATORS as readonly string[]).includes(k));
    if (extra !== undefined) {
      return [{ path: [...path, extra], reason: 'unknown key' }];
    }
    return [{ path, reason: `expected exactly one of ${COMBINATORS.join(', ')} or a "fact" check` }];
  }
  const op = combinators[0];
  const arg = c[op];
  switch (op) {
    case 'always':
      return arg === true ? [] : [{ path: [...path, 'always'], reason: 'must be true' }];
    case 'not':
      return checkCondition(arg, [...path, 'not']);
    default: {
      if (!Array.isArray(arg) || arg.length === 0) {
        return [{ path: [...path, op], reason: 'expected a non-empty array of conditions' }];
      }
      return arg.flatMap((child, i) => checkCondition(child, [...path, op, i]));
    }
  }
}

function checkLeaf(c: Record<string, unknown>, path: Path): Problem[] {
  const fact = c.fact;
  if (typeof fact !== 'string') {
    return [{ path: [...path, 'fact'], reason: 'expected a string' }];
  }
  if (!isFactName(fact)) {
    return [{ path: [...path, 'fact'], reason: `unknown fact ${show(fact)}` }];
  }

  const others = Object.keys(c).filter((k) => k !== 'fact');
  const unknown = others.find((k) => !(LEAF_OPS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    return [{ path: [...path, unknown], reason: 'unknown key' }];
  }
  if (others.length !== 1) {
    return [{ path, reason: `a fact check needs exactly one of ${LEAF_OPS.join(', ')}` }];
  }

  const op = others[0] as LeafOp;
  const arg = c[op];
  const at = [...path, op];
  const spec = POLICY_FACTS[fact];
  const allowed = spec.kind === 'list' ? LIST_OPS : SCALAR_OPS;
  if (!allowed.includes(op)) {
    return [{ path: at, reason: `operator ${op} cannot be used on fact "${fact}" (use ${allowed.join(' or ')})` }];
  }

  if (op === 'nonEmpty') {
    return arg === true ? [] : [{ path: at, reason: 'must be true' }];
  }

  const badValue = (v: unknown): string | undefined => {
    if (spec.kind === 'boolean') {
      return typeof v === 'boolean' ? undefined : `expected true or false for fact "${fact}", got ${show(v)}`;
    }
    return typeof v === 'string' && spec.values.includes(v)
      ? undefined
      : `invalid value ${show(v)} for fact "${fact}" (allowed: ${spec.values.join(', ')})`;
  };

  if (op === 'equals') {
    const reason = badValue(arg);
    return reason ? [{ path: at, reason }] : [];
  }
  if (!Array.isArray(arg) || arg.length === 0) {
    return [{ path: at, reason: 'expected a non-empty array of values' }];
  }
  return arg.flatMap((v, i) => {
    const reason = badValue(v);
    return reason ? [{ path: [...at, i], reason }] : [];
  });
}

/** Every leaf check in a (valid) condition tree, with its path. */
function leavesOf(c: Condition, path: Path): { leaf: LeafCheck; path: Path }[] {
  if ('all' in c) {
    return c.all.flatMap((x, i) => leavesOf(x, [...path, 'all', i]));
  }
  if ('any' in c) {
    return c.any.flatMap((x, i) => leavesOf(x, [...path, 'any', i]));
  }
  if ('not' in c) {
    return leavesOf(c.not, [...path, 'not']);
  }
  if ('always' in c) {
    return [];
  }
  return [{ leaf: c, path }];
}

const conditionSchema = z
  .custom<Condition>(() => true)
  .superRefine((value, ctx) => {
    for (const p of checkCondition(value, [])) {
      ctx.addIssue({ code: 'custom', message: p.reason, path: p.path });
    }
  });

// ---------------------------------------------------------------------------------------------
// Policy file
// ---------------------------------------------------------------------------------------------

const isoDuration = z.string().refine((s) => Duration.fromISO(s).isValid, {
  error: (iss) => `invalid ISO 8601 duration ${show(iss.input)} (e.g. "P5D")`,
});

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid, {
  error: (iss) => `invalid date ${show(iss.input)} (expected YYYY-MM-DD)`,
});

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'rule id must be letters, digits, "-" or "_"'),
  description: z.string().min(1),
  when: conditionSchema,
  outcome: z.enum(OUTCOMES),
});

function uniqueList<T extends string>(values: readonly [T, ...T[]], what: string) {
  return z.array(z.enum(values)).refine((xs) => new Set(xs).size === xs.length, `${what} must not repeat`);
}

export const policySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'policy id must be lower-case letters, digits and "-"'),
    version: z.int().positive(),
    title: z.string().min(1),
    description: z.string().optional(),
    effectiveFrom: isoDate,
    deadlines: z.strictObject({
      /** time the cadre has to submit an explanation (陈述申辩) */
      explanation: isoDuration,
      /** time a leader has to review a proposal */
      review: isoDuration,
      /** appeal window after the decision is notified (申诉) */
      appealWindow: isoDuration,
      /** time to rule on an appeal */
      appealReview: isoDuration,
      /** default due period for corrective actions (纠错 / 限期整改) */
      correction: isoDuration,
      /** count days as working days (skipping weekends and holidays, official and `holidays`) */
      workingDays: z.boolean(),
      /** local days off, on top of the official calendar (config/calendar/cn-official.json) */
      holidays: z.array(isoDate),
      /**
       * local make-up working days (调休上班), on top of the official ones. Optional, so the policy files written
       * before it existed parse — and hash (policy-digest.ts) — exactly as before.
       */
      workdays: z.array(isoDate).optional(),
    }),
    /** how far back an earlier tolerated error counts as a repeat */
    repeatWindow: isoDuration,
    /** the tolerance conditions the officer records; rules may only read these */
    conditions: uniqueList(CONDITIONS, 'conditions'),
    /** the negative-list exclusions (负面清单) the officer may record */
    negativeList: uniqueList(EXCLUSIONS, 'negativeList'),
    rules: z.array(ruleSchema).min(1, 'at least one rule is required'),
  })
  // Cross-checks between fields; they need a structurally valid policy, so run only when there is no issue yet.
  .superRefine(
    (p, ctx) => {
      const problem = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
      const seen = new Set<string>();
      p.rules.forEach((rule, i) => {
        if (seen.has(rule.id)) {
          problem(['rules', i, 'id'], `duplicate rule id ${show(rule.id)}`);
        }
        seen.add(rule.id);

        for (const { leaf, path } of leavesOf(rule.when, ['rules', i, 'when'])) {
          const cond = leaf.fact.startsWith('conditions.') ? leaf.fact.slice('conditions.'.length) : undefined;
          if (cond !== undefined && !(p.conditions as string[]).includes(cond)) {
            problem([...path, 'fact'], `condition "${cond}" is not listed in this policy's "conditions"`);
          }
          if ('includesAny' in leaf) {
            leaf.includesAny.forEach((v, j) => {
              if (!(p.negativeList as string[]).includes(v)) {
                problem([...path, 'includesAny', j], `exclusion ${show(v)} is not in this policy's "negativeList"`);
              }
            });
          }
        }
      });
      const holidays = new Set(p.deadlines.holidays);
      (p.deadlines.workdays ?? []).forEach((day, i) => {
        if (holidays.has(day)) {
          problem(['deadlines', 'workdays', i], `${show(day)} is also listed in "holidays": a day is either off or worked`);
        }
      });
      const last = p.rules.length - 1;
      const final = p.rules[last].when;
      if (!('always' in final && final.always === true)) {
        problem(['rules', last, 'when'], 'the last rule must be unconditional ({"always": true}) so every case gets an outcome');
      }
    },
    { when: (payload) => payload.issues.length === 0 },
  );

export type Policy = z.infer<typeof policySchema>;
export type PolicyRule = Policy['rules'][number];
export type PolicyDeadlines = Policy['deadlines'];

// ---------------------------------------------------------------------------------------------
// Parsing with readable errors
// ---------------------------------------------------------------------------------------------

export interface PolicyIssue {
  field: string;
  reason: string;
}

/** A policy file that does not conform; `message` is `<source>: <field>: <reason>`. */
export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';

  constructor(
    readonly source: string,
    readonly field: string,
    readonly reason: string,
    /** every problem found, the first of which is in the message */
    readonly issues: readonly PolicyIssue[] = [{ field, reason }],
  ) {
    super(
      `${source}: ${field || '(root)'}: ${reason}` +
        (issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''),
    );
  }
}

/** `['rules', 2, 'when', 'fact']` → `rules[2].when.fact` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function toIssues(error: z.ZodError): PolicyIssue[] {
  return error.issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys') {
      return iss.keys.map((key) => ({ field: formatPath([...iss.path, key]), reason: 'unknown key' }));
    }
    return [{ field: formatPath(iss.path), reason: iss.message }];
  });
}

/**
 * Validate a policy file's parsed JSON. `source` names the file in error messages.
 * @throws PolicyValidationError
 */
export function parsePolicy(raw: unknown, source: string): Policy {
  const result = policySchema.safeParse(raw);
  if (result.success) {
    return result.data;
  }
  const issues = toIssues(result.error);
  const [first] = issues;
  throw new PolicyValidationError(source, first.field, first.reason, issues);
}
