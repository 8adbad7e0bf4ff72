/** Inputs every tier opens and assesses cases with: e2e tests send them over HTTP, medium tests to the services. */

export const TOLERABLE_ASSESSMENT = {
  intent: 'negligent',
  motive: 'public',
  nature: 'trial-and-error',
  conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
  severity: 'minor',
  exclusions: [],
  findings: 'Pilot reform acted in good faith; loss recovered.',
} as const;

export const NEW_CASE = {
  title: 'Land-use pilot overran its budget',
  description: 'The township pilot spent 12% over the approved budget.',
  occurredAt: '2026-03-15',
  category: 'project-approval',
  source: 'audit',
} as const;
