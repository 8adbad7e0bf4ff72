import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsNull, Not } from 'typeorm';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { CaseEntity } from '../cases/case.entity.js';
import { DomainError } from '../common/domain-error.js';
import { uuidParam } from '../common/uuid-param.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DirectoryService } from '../users/directory.service.js';
import { UserEntity } from '../users/user.entity.js';
import { recordNote } from './cadre-record.js';

/** The cadre's record (结果运用): decided cases and what they mean for appraisal, plus name clearings. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('cadres')
export class RecordsController {
  constructor(@Inject(UnitOfWork) private readonly uow: UnitOfWork) {}

  @Get(':id/record')
  record(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.uow.read(async (manager) => {
      const cadre = await manager.findOne(UserEntity, { where: { id } });
      const mayRead =
        cadre?.roles.includes('cadre') &&
        (user.id === id ||
          user.roles.includes('admin') ||
          ((user.roles.includes('officer') || user.roles.includes('leader')) &&
            (await DirectoryService.subtreeUnitIds(manager, user.unitId)).includes(cadre.unitId)));
      if (!mayRead) {
        throw DomainError.notFound(`cadre ${id}`);
      }
      const decided = await manager.find(CaseEntity, { where: { subjectId: id, outcome: Not(IsNull()) }, order: { decidedAt: 'ASC' } });
      const cleared = await manager.find(CaseEntity, { where: { subjectId: id, state: 'withdrawn', nameCleared: true } });
      return {
        cadreId: id,
        cases: decided.map((c) => ({
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
        clearings: cleared.map((c) => ({
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
