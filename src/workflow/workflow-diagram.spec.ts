import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CASE_STATES } from './case-machine.js';
import { extractDiagramBlock, withDiagramBlock, workflowDiagramBlock, workflowMermaid } from './workflow-diagram.js';

/** Written out by hand so a new event without a diagram edge (or a renamed one) fails here. */
const EVENTS = [
  'explanation.submit',
  'assessment.record',
  'review.approve',
  'review.override',
  'review.return',
  'case.withdraw',
];

describe('workflow diagram', () => {
  const diagram = workflowMermaid();

  it('docs/workflow.md carries exactly the diagram generated from the machine (npm run docs:workflow)', () => {
    const doc = readFileSync(resolve(process.cwd(), 'docs/workflow.md'), 'utf8');
    expect(extractDiagramBlock(doc)).toBe(workflowDiagramBlock());
  });

  it('starts in awaitingExplanation and ends only in final states', () => {
    expect(diagram.split('\n')[0]).toBe('stateDiagram-v2');
    expect(diagram).toContain('[*] --> awaitingExplanation');
    expect(diagram).toContain('withdrawn --> [*]');
    expect(diagram.match(/--> \[\*\]/g)).toHaveLength(1);
  });

  it('shows every state and every event', () => {
    for (const state of CASE_STATES) {
      expect(diagram).toMatch(new RegExp(`\\b${state}\\b`));
    }
    for (const event of EVENTS) {
      expect(diagram).toContain(`: ${event}`);
    }
  });

  it('labels each transition with its event', () => {
    expect(diagram).toContain('awaitingExplanation --> underAssessment: explanation.submit');
    expect(diagram).toContain('underAssessment --> pendingReview: assessment.record');
    expect(diagram).toContain('pendingReview --> decided: review.approve');
    expect(diagram).toContain('pendingReview --> decided: review.override');
    expect(diagram).toContain('pendingReview --> underAssessment: review.return');
    expect(diagram).toContain('pendingReview --> withdrawn: case.withdraw');
    expect(diagram).not.toContain('decided -->');
  });

  it('replaces only the marked block of a document', () => {
    const doc = 'intro\n<!-- workflow-diagram:start -->\nstale\n<!-- workflow-diagram:end -->\noutro\n';
    expect(withDiagramBlock(doc)).toBe(`intro\n${workflowDiagramBlock()}\noutro\n`);
    expect(() => withDiagramBlock('no markers')).toThrow(/workflow-diagram:start/);
  });
});
