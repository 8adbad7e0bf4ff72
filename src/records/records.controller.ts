import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsNull, Not } from 'typeorm';

import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { CaseEntity } from '../cases/case.entity.js';
import { DomainError } from '../common/domain-error.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { OptionalIntParam, PAGE_MAX } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DirectoryService } from '../users/directory.service.js';
import { UserEntity } from '../users/user.entity.js';
import { recordNote } from './cadre-record.js';
import { CadreRecordResponse } from './dto/record.response.js';

/** A record lists this many cases (and clearings) a page unless asked for fewer (issue 16). */
export const RECORD_PAGE_SIZE = 200;

export class RecordQuery {
  @OptionalIntParam({ default: 1, minimum: 1, maximum: PAGE_MAX })
  page?: number;

  @OptionalIntParam({ default: RECORD_PAGE_SIZE, minimum: 1, maximum: RECORD_PAGE_SIZE })
  pageSize?: number;
}

/** The cadre's record (结果运用): decided cases and what they mean for appraisal, plus name clearings. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('cadres')
export class RecordsController {
  constructor(@Inject(UnitOfWork) private readonly uow: UnitOfWork) {}

  @ApiOperation({ operationId: 'getCadreRecord', summary: 'A cadre’s record (结果运用): decided cases and name clearings' })
  @ApiOk({ type: CadreRecordResponse })
  @ApiErrors(400, 401, 403, 404)
  @Get(':id/record')
  record(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: RecordQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? RECORD_PAGE_SIZE;
    const window = { skip: (page - 1) * pageSize, take: pageSize };
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
      const decidedWhere = { subjectId: id, outcome: Not(IsNull()) };
      const clearedWhere = { subjectId: id, state: 'withdrawn' as const, nameCleared: true };
      const decided = await manager.find(CaseEntity, { where: decidedWhere, order: { decidedAt: 'ASC', id: 'ASC' }, ...window });
      const cleared = await manager.find(CaseEntity, { where: clearedWhere, order: { updatedAt: 'ASC', id: 'ASC' }, ...window });
      return {
        cadreId: id,
        total: await manager.count(CaseEntity, { where: decidedWhere }),
        clearingsTotal: await manager.count(CaseEntity, { where: clearedWhere }),
        page,
        pageSize,
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
