import { describe, expect, it } from '@jest/globals';

import { sameJson } from './divergence.js';

describe('sameJson: equal as JSON values', () => {
  it('ignores key order, at any depth', () => {
    expect(sameJson({ a: 1, b: { c: [1, { d: 'x', e: null }] } }, { b: { c: [1, { e: null, d: 'x' }] }, a: 1 })).toBe(true);
  });

  it('treats what JSON cannot tell apart as equal: a key set to undefined and a missing one, undefined and null', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson(undefined, null)).toBe(true);
  });

  it('tells different values apart: a changed leaf, a longer list, a type', () => {
    const evidence = Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, size: i }));
    expect(
      sameJson(
        evidence,
        evidence.map((e) => ({ ...e })),
      ),
    ).toBe(true);
    expect(
      sameJson(
        evidence,
        evidence.map((e, i) => (i === 999 ? { ...e, size: 0 } : e)),
      ),
    ).toBe(false);
    expect(sameJson(evidence, [...evidence, { id: 'e1000', size: 1000 }])).toBe(false);
    expect(sameJson({ n: 1 }, { n: '1' })).toBe(false);
  });

  it('settles flat records of scalars either way: key order, a changed value, a key more or less', () => {
    expect(sameJson({ from: 'pendingReview', to: 'decided' }, { to: 'decided', from: 'pendingReview' })).toBe(true);
    expect(sameJson({ from: 'pendingReview', to: 'decided' }, { from: 'pendingReview', to: 'underAssessment' })).toBe(false);
    expect(sameJson({ from: 'a', to: 'b' }, { from: 'a', to: 'b', by: 'x' })).toBe(false);
    expect(sameJson({ from: 'a', to: 'b', by: 'x' }, { from: 'a', to: 'b' })).toBe(false);
    expect(sameJson({ n: null, ok: true }, { ok: true, n: null })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });
});
