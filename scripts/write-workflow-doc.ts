/**
 * Rewrites the generated state diagram in docs/workflow.md (between the workflow-diagram markers) from
 * the case machine. Run with `npm run docs:workflow` from the repository root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { withDiagramBlock } from '../src/workflow/workflow-diagram.js';

const docPath = resolve(process.cwd(), 'docs/workflow.md');
const before = readFileSync(docPath, 'utf8');
const after = withDiagramBlock(before);
if (after === before) {
  process.stdout.write(`${docPath}: diagram already up to date\n`);
} else {
  writeFileSync(docPath, after);
  process.stdout.write(`${docPath}: diagram rewritten\n`);
}
