import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

const WORKFLOW = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(WORKFLOW, '..');

/** Outside the workflow, only the error vocabulary: it has no imports but a type of its own folder. */
const ALLOWED_OUTSIDE = ['common/domain-error.ts', 'common/refusal.ts'];
/** Libraries for solved problems: validation, the state machine, dates, canonical JSON; Node's hash and deep equality. */
const ALLOWED_PACKAGES = ['zod', 'xstate', 'luxon', 'canonicalize', 'node:crypto', 'node:util'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sources(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the workflow is pure TypeScript (no framework, no database)', () => {
  it('imports only its own files, the error vocabulary and the allowed libraries', () => {
    const offending: string[] = [];
    for (const file of sources(WORKFLOW)) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/(?:from|import) '([^']+)'/g)) {
        if (!target.startsWith('.')) {
          if (!ALLOWED_PACKAGES.includes(target)) {
            offending.push(`${relative(SRC, file)} → ${target}`);
          }
          continue;
        }
        const path = relative(SRC, resolve(dirname(file), target)).replace(/\.js$/, '.ts');
        if (!path.startsWith('workflow/') && !ALLOWED_OUTSIDE.includes(path)) {
          offending.push(`${relative(SRC, file)} → ${path}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
