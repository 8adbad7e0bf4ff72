import { describe, expect, it } from '@jest/globals';

import { toOpenApi31 } from './openapi-31.js';

describe('toOpenApi31', () => {
  it('turns nullable typed schemas into type unions, null added to an enum', () => {
    const out = toOpenApi31({
      openapi: '3.0.0',
      a: { type: 'string', nullable: true },
      b: { type: 'string', enum: ['x'], nullable: true },
    });
    expect(out).toEqual({ openapi: '3.1.0', a: { type: ['string', 'null'] }, b: { type: ['string', 'null'], enum: ['x', null] } });
  });

  it('turns a nullable reference into anyOf [ref, null], keeping its description outside', () => {
    const out = toOpenApi31({ p: { nullable: true, type: 'object', description: 'd', allOf: [{ $ref: '#/components/schemas/X' }] } });
    expect(out).toEqual({ openapi: '3.1.0', p: { description: 'd', anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] } });
  });

  it('adds null to a nullable anyOf, and unwraps a lone allOf reference', () => {
    const out = toOpenApi31({
      p: { nullable: true, anyOf: [{ type: 'string' }, { type: 'number' }] },
      q: { description: 'd', allOf: [{ $ref: '#/x' }] },
    });
    expect(out).toEqual({
      openapi: '3.1.0',
      p: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
      q: { description: 'd', $ref: '#/x' },
    });
  });

  it('leaves a property named nullable alone', () => {
    const schema = { properties: { nullable: { type: 'boolean' } } };
    expect(toOpenApi31(schema)).toEqual({ ...schema, openapi: '3.1.0' });
  });
});
