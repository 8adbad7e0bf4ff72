import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { ApiErrors, ApiOk, NEXT_CURSOR_HEADERS } from '../common/openapi-decorators.js';
import { offsetPage, OffsetQuery } from '../common/paging.js';
import { DirectoryService } from './directory.service.js';
import { CadreResponse } from './dto/user-view.response.js';

export class FindCadresQuery extends OffsetQuery {
  @ApiPropertyOptional({ description: 'part of the username or display name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export interface CadreView {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
}

/**
 * Lets an officer find the cadre a case is about (its `subjectId`) without asking an admin: cadres of the
 * caller's unit and sub-units only, and no more than a name.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('cadres')
export class CadresController {
  constructor(@Inject(DirectoryService) private readonly directory: DirectoryService) {}

  @ApiOperation({ operationId: 'findCadres', summary: 'Find cadres of your unit and below (a case’s `subjectId`)' })
  @ApiOk({ type: [CadreResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403)
  @Get()
  @Roles('officer', 'leader', 'admin')
  async find(
    @CurrentUser() user: AuthUser,
    @Query() query: FindCadresQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CadreView[]> {
    const cadres = await offsetPage(reply, '/cadres', query, (skip, take) => this.directory.findCadres(user, query.q, skip, take));
    return cadres.map(({ id, username, displayName, unitId }) => ({ id, username, displayName, unitId }));
  }
}
