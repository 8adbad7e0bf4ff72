import type { Policy } from '../workflow/policy/policy-schema.js';
import type { PolicyRegistry } from './policy-registry.js';

/** One line of `GET /policies`. */
export interface PolicySummary {
  id: string;
  version: number;
  title: string;
  effectiveFrom: string;
  description?: string;
  /** the highest loaded version of its id: the one a new case opened under this id pins */
  current: boolean;
  /** its id is DEFAULT_POLICY: new cases use it unless the officer names another id */
  default: boolean;
}

/** The whole policy as loaded, plus where it stands among the loaded versions. */
export type PolicyDetail = Policy & Pick<PolicySummary, 'current' | 'default'>;

function standing(policy: Policy, registry: PolicyRegistry): Pick<PolicySummary, 'current' | 'default'> {
  return { current: registry.current(policy.id)?.version === policy.version, default: policy.id === registry.defaultId };
}

export function toPolicySummary(policy: Policy, registry: PolicyRegistry): PolicySummary {
  return {
    id: policy.id,
    version: policy.version,
    title: policy.title,
    effectiveFrom: policy.effectiveFrom,
    ...(policy.description === undefined ? {} : { description: policy.description }),
    ...standing(policy, registry),
  };
}

export function toPolicyDetail(policy: Policy, registry: PolicyRegistry): PolicyDetail {
  return {
    id: policy.id,
    version: policy.version,
    title: policy.title,
    ...(policy.description === undefined ? {} : { description: policy.description }),
    effectiveFrom: policy.effectiveFrom,
    deadlines: policy.deadlines,
    repeatWindow: policy.repeatWindow,
    conditions: policy.conditions,
    negativeList: policy.negativeList,
    rules: policy.rules,
    ...standing(policy, registry),
  };
}
