import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError } from '../config/app-config.js';
import { parsePolicy, type Policy, PolicyValidationError } from '../workflow/policy/policy-schema.js';

/**
 * Every policy file in POLICY_DIR, loaded and validated once at start-up. A file that fails validation
 * stops start-up with the file, the field and the reason. Cases pin (id, version) at opening, so a newer
 * version never changes an open case.
 */
export class PolicyRegistry {
  private readonly byKey = new Map<string, Policy>();

  constructor(
    policies: Policy[],
    readonly defaultId: string,
  ) {
    for (const policy of policies) {
      const key = PolicyRegistry.key(policy.id, policy.version);
      if (this.byKey.has(key)) {
        throw new ConfigError(`POLICY_DIR: policy ${policy.id} version ${policy.version} is defined twice`);
      }
      this.byKey.set(key, policy);
    }
    if (!this.current(defaultId)) {
      throw new ConfigError(`DEFAULT_POLICY: no policy with id "${defaultId}" was loaded`);
    }
  }

  static fromDirectory(dir: string, defaultId: string): PolicyRegistry {
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort();
    } catch {
      throw new ConfigError(`POLICY_DIR: cannot read folder ${dir}`);
    }
    const policies = files.map((name) => {
      const source = join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(source, 'utf8'));
      } catch (error) {
        throw new PolicyValidationError(source, '(file)', `not valid JSON: ${(error as Error).message}`);
      }
      return parsePolicy(raw, source);
    });
    return new PolicyRegistry(policies, defaultId);
  }

  private static key(id: string, version: number): string {
    return `${id}@${version}`;
  }

  get(id: string, version: number): Policy | undefined {
    return this.byKey.get(PolicyRegistry.key(id, version));
  }

  /** The highest version of a policy id: the one a new case pins. */
  current(id: string = this.defaultId): Policy | undefined {
    let best: Policy | undefined;
    for (const policy of this.byKey.values()) {
      if (policy.id === id && (!best || policy.version > best.version)) {
        best = policy;
      }
    }
    return best;
  }

  /** Every loaded version, by id and then version. */
  all(): Policy[] {
    return [...this.byKey.values()].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
  }
}
