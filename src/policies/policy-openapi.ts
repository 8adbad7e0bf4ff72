import { z } from 'zod';

import { policySchema } from '../workflow/policy/policy-schema.js';

/**
 * The `Policy` and `PolicyDetail` component schemas, from the zod schema that validates policy files, so
 * the description follows the policy format without a second declaration. `PolicyDetail` (GET
 * /policies/:id/:version) adds `current` and `default` (policy-view.ts).
 */
export function policySchemas(): Record<'Policy' | 'PolicyDetail', Record<string, unknown>> {
  const policy = z.toJSONSchema(policySchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  > & {
    properties: Record<string, unknown>;
    required: string[];
  };
  delete policy.$schema;
  return {
    Policy: { ...policy, description: 'a decision policy as loaded (docs/policy.md)' },
    PolicyDetail: {
      ...policy,
      properties: {
        ...policy.properties,
        current: { type: 'boolean', description: 'the highest loaded version of its id: the one new cases pin' },
        default: { type: 'boolean', description: 'its id is DEFAULT_POLICY' },
      },
      required: [...policy.required, 'current', 'default'],
    },
  };
}
