import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { CLAIM_PREFIX } from '../evidence/evidence-storage.js';
import { evidencePath } from './data-verification.js';
import { copyEvidenceFile } from './evidence-copy.js';

describe('copyEvidenceFile', () => {
  let live: string;
  let backup: string;
  const bytes = Buffer.from('a cadre statement\n');
  const file = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };

  beforeEach(() => {
    live = mkdtempSync(join(tmpdir(), 'evidence-live-'));
    backup = mkdtempSync(join(tmpdir(), 'evidence-backup-'));
  });
  afterEach(() => {
    rmSync(live, { recursive: true, force: true });
    rmSync(backup, { recursive: true, force: true });
  });

  it('copies a stored file under its name, checked', async () => {
    mkdirSync(join(live, file.sha256.slice(0, 2)));
    writeFileSync(evidencePath(live, file.sha256), bytes);
    await copyEvidenceFile(live, backup, file);
    expect(readFileSync(evidencePath(backup, file.sha256))).toEqual(bytes);
  });

  it('finds a file a sweep has just moved aside under a claim name (it puts it back a moment later)', async () => {
    writeFileSync(join(live, `${CLAIM_PREFIX}${file.sha256}-${Date.now()}-0b6f0a52-8f64-4a37-9d6a-6b2f2e3c1d00`), bytes);
    await copyEvidenceFile(live, backup, file);
    expect(readFileSync(evidencePath(backup, file.sha256))).toEqual(bytes);
  });

  it('refuses a stored file whose content is not what its name says', async () => {
    mkdirSync(join(live, file.sha256.slice(0, 2)));
    writeFileSync(evidencePath(live, file.sha256), 'something else');
    await expect(copyEvidenceFile(live, backup, file)).rejects.toThrow(/does not hold what its name says .* the evidence store is damaged/);
  });
});
