import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';

import type { Policy } from './policy-schema.js';

/**
 * SHA-256 of a policy's canonical JSON (RFC 8785). Recorded in a case's opening event, it binds the
 * case to the exact rules of its pinned version: a file edited in place without a new version, or a
 * dossier carrying other rules under the same version, shows up in replay.
 */
export function policyDigest(policy: Policy): string {
  return createHash('sha256')
    .update(canonicalize(policy) ?? '')
    .digest('hex');
}
