import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import semver from 'semver';

interface LockEntry {
  version?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };

/**
 * `engines` in package.json must tell the truth: every Node version it admits is one that every installed
 * package says it supports. Four packages once declared Node ≥ 22 while this said ≥ 20.19 (npm ci warned
 * EBADENGINE four times); docs/operations.md, Node versions.
 */
describe('package.json engines', () => {
  it('admits only Node versions that every package in the lock file supports', () => {
    const ours = manifest.engines.node;
    const narrower = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !Array.isArray(entry.engines) && entry.engines?.node)
      .filter(([, entry]) => !semver.subset(ours, (entry.engines as { node: string }).node))
      .map(
        ([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${(entry.engines as { node: string }).node}`,
      );
    expect(narrower).toEqual([]);
  });
});
