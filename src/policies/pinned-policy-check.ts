import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ConfigError } from '../config/app-config.js';
import { CaseStatsRepository } from '../repositories/case-stats.repository.js';
import { PolicyRegistry } from './policy-registry.js';

/**
 * Refuses to start when a case pins a policy version that is no longer in POLICY_DIR: its next
 * assessment could not be evaluated, and its recommendation could not be explained. Runs once, before
 * the service accepts requests (no unit of work is busy yet).
 */
@Injectable()
export class PinnedPolicyCheck implements OnApplicationBootstrap {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pinned = await CaseStatsRepository.pinnedPolicies(this.dataSource);
    const missing = pinned.filter((row) => !this.policies.get(row.policyId, row.policyVersion));
    if (missing.length > 0) {
      const list = missing.map((row) => `${row.policyId} v${row.policyVersion}`).join(', ');
      throw new ConfigError(`POLICY_DIR: open cases pin policy versions that are not loaded: ${list}`);
    }
  }
}
