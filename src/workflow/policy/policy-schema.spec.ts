import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { policyDigest } from './policy-digest.js';
import { formatPath, parsePolicy, PolicyValidationError } from './policy-schema.js';

const SOURCE = 'config/policies/default-v1.json';
// The tests deliberately mutate raw JSON into invalid shapes, so it is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawPolicy = any;
const shipped = (): RawPolicy => JSON.parse(readFileSync(join(process.cwd(), SOURCE), 'utf8'));

/** Parse a mutated copy of the shipped policy and return the error it raises. */
function refuse(mutate: (p: RawPolicy) => void, source = 'test/bad.json'): PolicyValidationError {
  const p = shipped();
  mutate(p);
  try {
    parsePolicy(p, source);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyValidationError);
    return e as PolicyValidationError;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('accepts the shipped default-v1.json', () => {
    const policy = parsePolicy(shipped(), SOURCE);
    expect(policy.id).toBe('default');
    expect(policy.version).toBe(1);
    expect(policy.rules.map((r) => r.id)).toEqual(['R1-not-tolerable-side', 'R2-negative-list', 'R3-tolerate', 'R4-correct']);
    expect(policy.rules.map((r) => r.outcome)).toEqual(['hold-accountable', 'hold-accountable', 'tolerate', 'correct']);
    expect(policy.deadlines).toMatchObject({ explanation: 'P5D', appealWindow: 'P15D', appealReview: 'P30D' });
  });

  it('keeps the shipped policies’ digests: the optional deadlines.workdays changes nothing for files without it', () => {
    // Digests recorded in the opening event of every case opened before workdays existed (replay compares them).
    const digestOf = (file: string) => policyDigest(parsePolicy(JSON.parse(readFileSync(join(process.cwd(), file), 'utf8')), file));
    expect(digestOf(SOURCE)).toBe('4a9c16c917bcd679b68c586cf536b64a182b06a2dd97ec27278c029b2bd092a1');
    expect(digestOf('config/policies/pilot-zone-v1.json')).toBe('fdbf49fca3ff3859a4b5e02fcf5f9a1104d99d68d9b9b014bd51b5555138a70d');
    expect('workdays' in parsePolicy(shipped(), SOURCE).deadlines).toBe(false);
  });

  it('accepts local make-up working days, and refuses one that is also a local holiday', () => {
    const p = shipped();
    p.deadlines.holidays = ['2026-03-05'];
    p.deadlines.workdays = ['2026-03-07'];
    expect(parsePolicy(p, SOURCE).deadlines).toMatchObject({ holidays: ['2026-03-05'], workdays: ['2026-03-07'] });
    const e = refuse((q) => {
      q.deadlines.holidays = ['2026-03-07'];
      q.deadlines.workdays = ['2026-03-09', '2026-03-07'];
    });
    expect(e.field).toBe('deadlines.workdays[1]');
    expect(e.reason).toBe('"2026-03-07" is also listed in "holidays": a day is either off or worked');
    expect(refuse((q) => (q.deadlines.workdays = ['2026-3-7'])).field).toBe('deadlines.workdays[0]');
  });

  it('formats paths as rules[2].when.fact', () => {
    expect(formatPath(['rules', 2, 'when', 'fact'])).toBe('rules[2].when.fact');
    expect(formatPath(['deadlines', 'holidays', 0])).toBe('deadlines.holidays[0]');
  });

  it('refuses a non-object', () => {
    const e = (() => {
      try {
        parsePolicy('nope', 'x.json');
      } catch (err) {
        return err as PolicyValidationError;
      }
      throw new Error('not refused');
    })();
    expect(e.message).toMatch(/^x\.json: /);
  });

  const cases: [string, (p: RawPolicy) => void, string, RegExp][] = [
    ['unknown fact', (p) => (p.rules[2].when = { fact: 'foo', equals: true }), 'rules[2].when.fact', /unknown fact "foo"/],
    [
      'unknown fact nested in all',
      (p) => (p.rules[2].when.all[3].fact = 'conditions.brave'),
      'rules[2].when.all[3].fact',
      /unknown fact "conditions.brave"/,
    ],
    [
      'bad value for an enum fact',
      (p) => (p.rules[0].when.any[0].equals = 'deliberate'),
      'rules[0].when.any[0].equals',
      /invalid value "deliberate" for fact "intent"/,
    ],
    [
      'bad value in a list',
      (p) => (p.rules[2].when.all[4].notIn = ['huge']),
      'rules[2].when.all[4].notIn[0]',
      /invalid value "huge" for fact "severity"/,
    ],
    [
      'non-boolean for a boolean fact',
      (p) => (p.rules[2].when.all[5].equals = 'no'),
      'rules[2].when.all[5].equals',
      /expected true or false for fact "repeatError"/,
    ],
    [
      'scalar operator on exclusions',
      (p) => (p.rules[1].when = { fact: 'exclusions', equals: 'dereliction' }),
      'rules[1].when.equals',
      /operator equals cannot be used on fact "exclusions"/,
    ],
    [
      'list operator on a scalar fact',
      (p) => (p.rules[1].when = { fact: 'intent', nonEmpty: true }),
      'rules[1].when.nonEmpty',
      /cannot be used on fact "intent"/,
    ],
    [
      'unknown exclusion',
      (p) => (p.rules[1].when = { fact: 'exclusions', includesAny: ['bribery'] }),
      'rules[1].when.includesAny[0]',
      /invalid value "bribery"/,
    ],
    ['unknown operator key', (p) => (p.rules[0].when.any[1] = { fact: 'motive', eq: 'private' }), 'rules[0].when.any[1].eq', /unknown key/],
    ['unknown combinator', (p) => (p.rules[0].when = { anyOf: [] }), 'rules[0].when.anyOf', /unknown key/],
    ['empty all', (p) => (p.rules[2].when = { all: [] }), 'rules[2].when.all', /non-empty array/],
    [
      'condition not listed in the policy',
      (p) => (p.conditions = ['policyCompliant', 'procedureFollowed', 'diligent']),
      'rules[2].when.all[3].fact',
      /condition "remedied" is not listed/,
    ],
    ['bad duration', (p) => (p.deadlines.explanation = '5 days'), 'deadlines.explanation', /invalid ISO 8601 duration "5 days"/],
    ['bad repeat window', (p) => (p.repeatWindow = 'P3X'), 'repeatWindow', /invalid ISO 8601 duration/],
    [
      'bad holiday date',
      (p) => (p.deadlines.holidays = ['2026-01-01', '2026-02-30']),
      'deadlines.holidays[1]',
      /invalid date "2026-02-30"/,
    ],
    ['bad effectiveFrom', (p) => (p.effectiveFrom = '1/1/2026'), 'effectiveFrom', /invalid date/],
    ['non-final catch-all', (p) => p.rules.reverse(), 'rules[3].when', /last rule must be unconditional/],
    ['catch-all missing', (p) => p.rules.pop(), 'rules[2].when', /last rule must be unconditional/],
    ['duplicate rule ids', (p) => (p.rules[1].id = p.rules[0].id), 'rules[1].id', /duplicate rule id "R1-not-tolerable-side"/],
    ['no rules', (p) => (p.rules = []), 'rules', /at least one rule/],
    ['unknown outcome', (p) => (p.rules[3].outcome = 'forgive'), 'rules[3].outcome', /tolerate/],
    ['unknown top-level key', (p) => (p.titel = 'typo'), 'titel', /unknown key/],
    ['unknown key in deadlines', (p) => (p.deadlines.apeal = 'P15D'), 'deadlines.apeal', /unknown key/],
    ['unknown key in a rule', (p) => (p.rules[0].then = 'x'), 'rules[0].then', /unknown key/],
    ['version zero', (p) => (p.version = 0), 'version', /.+/],
    ['fractional version', (p) => (p.version = 1.5), 'version', /int/],
    ['version as string', (p) => (p.version = '1'), 'version', /.+/],
    ['bad policy id', (p) => (p.id = 'Default V1'), 'id', /lower-case/],
    ['unknown tolerance condition', (p) => p.conditions.push('brave'), 'conditions[4]', /.+/],
    ['repeated condition', (p) => p.conditions.push('diligent'), 'conditions', /must not repeat/],
    ['unknown negative-list entry', (p) => p.negativeList.push('bribery'), 'negativeList[3]', /.+/],
  ];

  it.each(cases)('refuses %s, naming source and field', (_name, mutate, field, reason) => {
    const e = refuse(mutate);
    expect(e.source).toBe('test/bad.json');
    expect(e.field).toBe(field);
    expect(e.reason).toMatch(reason);
    expect(e.message.startsWith(`test/bad.json: ${field}: `)).toBe(true);
  });

  it('produces the documented message shape', () => {
    const e = refuse((p) => (p.rules[2].when = { fact: 'foo', equals: 1 }), SOURCE);
    expect(e.message).toBe('config/policies/default-v1.json: rules[2].when.fact: unknown fact "foo"');
  });

  it('lists every problem found, the first in the message', () => {
    const e = refuse((p) => {
      p.titel = 'x';
      p.deadlines.review = 'ten days';
    });
    expect(e.issues.map((i) => i.field).sort()).toEqual(['deadlines.review', 'titel']);
    expect(e.message).toMatch(/\(and 1 more problem\)$/);
  });
});
