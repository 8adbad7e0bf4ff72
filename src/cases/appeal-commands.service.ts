import { Inject, Injectable } from '@nestjs/common';

import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { correctionComplete } from './case-aggregate.js';
import { CaseCommandRunner } from './case-command-runner.js';
import type { AppealDto, AppealReviewDto } from './dto/appeal-and-correction.dto.js';

/** Appeals (申诉): the subject appeals inside the window; an uninvolved leader rules. */
@Injectable()
export class AppealCommandsService {
  constructor(@Inject(CaseCommandRunner) private readonly runner: CaseCommandRunner) {}

  appeal(actor: AuthUser, caseId: string, ifMatch: number | null, input: AppealDto) {
    return this.runner.run(actor, caseId, ifMatch, 'appeal', ({ aggregate: { row }, at }) => ({
      event: { type: 'appeal.submit', at },
      auditType: 'appeal.submitted',
      auditData: { reason: input.reason, outcomeInForce: row.outcome },
      changes: () => ({
        appeal: {
          reason: input.reason,
          by: actor.id,
          at,
          decision: null,
          decidedBy: null,
          decidedAt: null,
          decisionReason: null,
          originalOutcome: row.outcome,
        },
      }),
      notify: [
        {
          to: [row.openedBy],
          unitLeaders: true,
          kind: 'appeal.submitted',
          message: `The cadre appealed the decision on "${row.title}"; the decision stays in force meanwhile.`,
        },
      ],
    }));
  }

  decide(actor: AuthUser, caseId: string, ifMatch: number | null, input: AppealReviewDto) {
    return this.runner.run(actor, caseId, ifMatch, 'appeal-review', ({ aggregate }) => {
      const { row } = aggregate;
      if (input.decision === 'revise' && !input.outcome) {
        throw DomainError.ruleViolation([{ field: 'outcome', message: 'a revision must name the new outcome' }]);
      }
      if (input.decision === 'revise' && input.outcome === row.outcome) {
        throw DomainError.ruleViolation([{ field: 'outcome', message: 'the outcome equals the decision in force; uphold instead' }]);
      }
      if (input.decision === 'uphold' && input.outcome !== undefined) {
        throw DomainError.ruleViolation([{ field: 'outcome', message: 'an upheld decision keeps its outcome; leave outcome out' }]);
      }
      const outcome = input.decision === 'revise' ? input.outcome! : row.outcome!;
      return {
        event: { type: 'appeal.decide', outcome, correctionComplete: correctionComplete(aggregate.actions) },
        auditType: input.decision === 'revise' ? 'appeal.revised' : 'appeal.upheld',
        auditData: { decision: input.decision, outcome, previousOutcome: row.outcome, reason: input.reason },
        changes: (_row, at) => ({
          reviewerIds: row.reviewerIds.includes(actor.id) ? row.reviewerIds : [...row.reviewerIds, actor.id],
          appeal: row.appeal && {
            ...row.appeal,
            decision: input.decision,
            decidedBy: actor.id,
            decidedAt: at,
            decisionReason: input.reason,
          },
        }),
        notify: [
          {
            to: [row.subjectId, row.openedBy],
            kind: 'appeal.decided',
            message: `Appeal on "${row.title}" ${input.decision === 'revise' ? 'revised' : 'upheld'}: final outcome ${outcome}.`,
          },
        ],
      };
    });
  }
}
