import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { OptionalIntParam, PAGE_MAX } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { CadreRecordResponse } from './dto/record.response.js';
import { RecordsService } from './records.service.js';

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
  constructor(@Inject(RecordsService) private readonly records: RecordsService) {}

  @ApiOperation({ operationId: 'getCadreRecord', summary: 'A cadre’s record (结果运用): decided cases and name clearings' })
  @ApiOk({ type: CadreRecordResponse })
  @ApiErrors(400, 401, 403, 404)
  @Get(':id/record')
  record(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: RecordQuery) {
    return this.records.record(user, id, query.page ?? 1, query.pageSize ?? RECORD_PAGE_SIZE);
  }
}
