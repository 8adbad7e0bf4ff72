import { Inject, Injectable } from '@nestjs/common';

import { mayReadRecord } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CaseReadsRepository } from '../repositories/case-reads.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { recordNote } from './cadre-record.js';
import type { CadreRecordResponse } from './dto/record.response.js';

/** The cadre's record (结果运用): decided cases and what they mean for appraisal, plus name clearings. */
@Injectable()
export class RecordsService {
  constructor(@Inject(UnitOfWork) private readonly uow: UnitOfWork) {}

  /** One page of the record; a 404 for a user who is no cadre or whose record the actor may not read. */
  record(actor: AuthUser, cadreId: string, page: number, pageSize: number): Promise<CadreRecordResponse> {
    const window = { skip: (page - 1) * pageSize, take: pageSize };
    return this.uow.read(async (manager) => {
      const cadre = await UsersRepository.find(manager, cadreId);
      if (!(await mayReadRecord(manager, actor, cadre))) {
        throw DomainError.notFound(`cadre ${cadreId}`);
      }
      const decided = await CaseReadsRepository.decidedOf(manager, cadreId, window);
      const cleared = await CaseReadsRepository.clearingsOf(manager, cadreId, window);
      return {
        cadreId,
        total: decided.total,
        clearingsTotal: cleared.total,
        page,
        pageSize,
        cases: decided.rows.map((c) => ({
          caseId: c.id,
          title: c.title,
          category: c.category,
          outcome: c.outcome!,
          decidedAt: c.decidedAt,
          state: c.state,
          final: c.state === 'closed' || c.state === 'correcting',
          underAppeal: c.state === 'appealReview',
          ...recordNote(c.outcome!),
        })),
        clearings: cleared.rows.map((c) => ({
          caseId: c.id,
          title: c.title,
          category: c.category,
          clearedAt: c.updatedAt,
          note: 'Name cleared (澄清正名): the case was withdrawn and does not count against the cadre.',
        })),
      };
    });
  }
}
