import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import type { AuditEventView } from '../audit/audit-trail.service.js';
import type { VerifyResult } from '../audit/hash-chain.js';
import { DomainError } from '../common/domain-error.js';
import { etagOf, parseIfMatch } from '../common/if-match.js';
import type { CaseEntity } from './case.entity.js';
import { CaseCommandsService } from './case-commands.service.js';
import { CaseQueriesService } from './case-queries.service.js';
import { type CaseView, toCaseView } from './case-view.js';
import { AssessmentDto, ExplanationDto, ReviewDto, WithdrawDto } from './dto/case-commands.dto.js';
import { ListCasesQuery } from './dto/list-cases.query.js';
import { OpenCaseDto } from './dto/open-case.dto.js';

const caseId = new ParseUUIDPipe({
  exceptionFactory: () => DomainError.validation([{ field: 'id', message: 'must be a UUID' }]),
});

/** Thin: validate (DTOs, global pipe), call one service method, map the result. */
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'case version; 412 when stale' })
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CaseCommandsService) private readonly commands: CaseCommandsService,
    @Inject(CaseQueriesService) private readonly queries: CaseQueriesService,
  ) {}

  @Post()
  @Roles('officer')
  async open(@CurrentUser() user: AuthUser, @Body() body: OpenCaseDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.view(await this.commands.open(user, body), user, reply);
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    const page = await this.queries.list(user, query);
    return { ...page, items: page.items.map((row) => toCaseView(row, user)) };
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', caseId) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.view(await this.queries.get(user, id), user, reply);
  }

  @Post(':id/explanation')
  @HttpCode(200)
  @Roles('cadre')
  async explanation(
    @CurrentUser() user: AuthUser,
    @Param('id', caseId) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ExplanationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.commands.submitExplanation(user, id, parseIfMatch(ifMatch), body), user, reply);
  }

  @Post(':id/assessment')
  @HttpCode(200)
  @Roles('officer')
  async assessment(
    @CurrentUser() user: AuthUser,
    @Param('id', caseId) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: AssessmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.commands.recordAssessment(user, id, parseIfMatch(ifMatch), body), user, reply);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('leader')
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id', caseId) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ReviewDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.commands.review(user, id, parseIfMatch(ifMatch), body), user, reply);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('officer')
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', caseId) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: WithdrawDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.commands.withdraw(user, id, parseIfMatch(ifMatch), body), user, reply);
  }

  @Get(':id/audit')
  auditTrail(@CurrentUser() user: AuthUser, @Param('id', caseId) id: string): Promise<AuditEventView[]> {
    return this.queries.auditTrail(user, id);
  }

  @Get(':id/audit/verify')
  @Roles('officer', 'leader', 'admin')
  verifyAudit(@CurrentUser() user: AuthUser, @Param('id', caseId) id: string): Promise<VerifyResult> {
    return this.queries.verifyAudit(user, id);
  }

  private view(row: CaseEntity, user: AuthUser, reply: FastifyReply): CaseView {
    void reply.header('ETag', etagOf(row.version));
    return toCaseView(row, user);
  }
}
