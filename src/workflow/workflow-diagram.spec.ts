import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { CASE_STATES, caseMachine } from './case-machine.js';
import { extractDiagramBlock, withDiagramBlock, workflowDiagramBlock, workflowMermaid } from './workflow-diagram.js';

/** Written out by hand so a new event without a diagram edge (or a renamed one) fails here. */
const EVENTS = [
  'explanation.submit',
  'deadline.explanation',
  'assessment.record',
  'review.approve',
  'review.override',
  'review.return',
  'case.withdraw',
  'appeal.submit',
  'appeal.decide',
  'deadline.appealWindow',
  'correction.add',
  'correction.report',
  'correction.verify',
  'deadline.escalate',
  'evidence.add',
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
    expect(diagram).toContain('closed --> [*]');
    expect(diagram).toContain('withdrawn --> [*]');
    expect(diagram.match(/--> \[\*\]/g)).toHaveLength(2);
  });

  it('lists here exactly the events the machine takes', () => {
    const machineEvents = new Set(Object.values(caseMachine.root.states).flatMap((node) => Object.keys(node.on)));
    expect([...machineEvents].sort()).toEqual([...EVENTS].sort());
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
    expect(diagram).toContain('awaitingExplanation --> underAssessment: deadline.explanation');
    expect(diagram).toContain('decided --> appealReview: appeal.submit');
    expect(diagram).toContain('decided --> correcting: deadline.appealWindow');
    expect(diagram).toContain('decided --> closed: deadline.appealWindow');
    expect(diagram).toContain('appealReview --> correcting: appeal.decide');
    expect(diagram).toContain('appealReview --> closed: appeal.decide');
    expect(diagram).toContain('correcting --> closed: correction.verify');
    expect(diagram).not.toMatch(/^ {2}(closed|withdrawn) --> (?!\[\*\])/m);
    expect(diagram).not.toContain('decided --> withdrawn');
  });

  it('draws the stay-in-state transitions (escalations, corrective work, evidence) as self-loops', () => {
    for (const state of ['pendingReview', 'decided', 'appealReview', 'correcting']) {
      expect(diagram).toContain(`${state} --> ${state}: deadline.escalate`);
    }
    for (const state of ['awaitingExplanation', 'underAssessment', 'pendingReview', 'decided', 'appealReview', 'correcting']) {
      expect(diagram).toContain(`${state} --> ${state}: evidence.add`);
    }
    for (const state of ['decided', 'correcting']) {
      for (const event of ['correction.add', 'correction.report', 'correction.verify']) {
        expect(diagram).toContain(`${state} --> ${state}: ${event}`);
      }
    }
  });

  it('replaces only the marked block of a document', () => {
    const doc = 'intro\n<!-- workflow-diagram:start -->\nstale\n<!-- workflow-diagram:end -->\noutro\n';
    expect(withDiagramBlock(doc)).toBe(`intro\n${workflowDiagramBlock()}\noutro\n`);
    expect(() => withDiagramBlock('no markers')).toThrow(/workflow-diagram:start/);
  });
});
