import type { AnyStateNode } from 'xstate';

import { caseMachine } from './case-machine.js';

/**
 * The case lifecycle as a Mermaid `stateDiagram-v2`, generated from the machine itself so docs/workflow.md
 * cannot drift from the code: `npm run docs:workflow` writes it, workflow-diagram.spec.ts fails when the
 * committed block differs.
 */

export const DIAGRAM_START = '<!-- workflow-diagram:start -->';
export const DIAGRAM_END = '<!-- workflow-diagram:end -->';

interface Edge {
  from: string;
  to: string;
  event: string;
}

/** Every `on` transition of the top-level states, in the order the machine declares them. */
function edgesOf(states: readonly AnyStateNode[]): Edge[] {
  return states.flatMap((node) =>
    Object.entries(node.on).flatMap(([event, transitions]) =>
      transitions.flatMap((transition) => {
        // A targetless transition (actions only) stays in its state: draw it as a self-loop.
        const targets = transition.target?.length ? transition.target : [node];
        return targets.map((target) => ({ from: node.key, to: target.key, event }));
      }),
    ),
  );
}

export function workflowMermaid(): string {
  const states = Object.values(caseMachine.root.states);
  const initial = caseMachine.root.initial.target.map((node) => node.key);
  const lines = ['stateDiagram-v2'];
  for (const key of initial) {
    lines.push(`  [*] --> ${key}`);
  }
  for (const edge of edgesOf(states)) {
    lines.push(`  ${edge.from} --> ${edge.to}: ${edge.event}`);
  }
  for (const node of states) {
    if (node.type === 'final') {
      lines.push(`  ${node.key} --> [*]`);
    }
  }
  return lines.join('\n');
}

/** The block docs/workflow.md carries between the markers, fences included. */
export function workflowDiagramBlock(): string {
  return [DIAGRAM_START, '```mermaid', workflowMermaid(), '```', DIAGRAM_END].join('\n');
}

/** The text between (and including) the markers, or null when the document has none. */
export function extractDiagramBlock(document: string): string | null {
  const start = document.indexOf(DIAGRAM_START);
  const end = document.indexOf(DIAGRAM_END, start);
  if (start < 0 || end < 0) {
    return null;
  }
  return document.slice(start, end + DIAGRAM_END.length);
}

/** `document` with its marked block replaced by the generated one. */
export function withDiagramBlock(document: string): string {
  const current = extractDiagramBlock(document);
  if (current === null) {
    throw new Error(`the document has no ${DIAGRAM_START} … ${DIAGRAM_END} block`);
  }
  return document.replace(current, () => workflowDiagramBlock());
}
