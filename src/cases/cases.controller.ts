import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import type { AuditEventView } from '../audit/audit-trail.service.js';
import { AUDIT_LIMIT, AuditListQuery } from '../audit/audit-list.query.js';
import { Clock } from '../common/clock.js';
import { OffsetQuery, offsetPage, sendNextCursor } from '../common/paging.js';
import { parseIfMatch } from '../common/if-match.js';
import { toUtcIso } from '../common/instant.js';
import { CaseCommandsService } from './case-commands.service.js';
import { CaseHistoryService, type FullVerifyResult } from './case-history.service.js';
import { CaseQueriesService } from './case-queries.service.js';
import { replyWithCase, toCaseView, toHistoricalView } from './case-view.js';
import { caseIdPipe } from './case-id.pipe.js';
import type { DecisionView } from './decision-view.js';
import { AssessmentDto, ExplanationDto, ReviewDto, WithdrawDto } from './dto/case-commands.dto.js';
import { CaseAsOfQuery } from './dto/case-as-of.query.js';
import { ListCasesQuery } from './dto/list-cases.query.js';
import { OpenCaseDto } from './dto/open-case.dto.js';

/** Thin: validate (DTOs, global pipe), call one service method, map the result. */
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'case version; 412 when stale' })
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CaseCommandsService) private readonly commands: CaseCommandsService,
    @Inject(CaseQueriesService) private readonly queries: CaseQueriesService,
    @Inject(CaseHistoryService) private readonly history: CaseHistoryService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('officer')
  async open(@CurrentUser() user: AuthUser, @Body() body: OpenCaseDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return replyWithCase(reply, await this.commands.open(user, body), user, this.clock.now());
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    const now = this.clock.now();
    const page = await this.queries.list(user, query, now);
    return { ...page, items: page.items.map((aggregate) => toCaseView(aggregate, user, now)) };
  }

  @Get(':id')
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Query() query: CaseAsOfQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.asOf !== undefined) {
      // Events are stamped in UTC ISO form; compare like with like.
      const asOf = toUtcIso(query.asOf);
      return toHistoricalView(await this.history.asOf(user, id, asOf), asOf);
    }
    return replyWithCase(reply, await this.queries.get(user, id), user, this.clock.now());
  }

  /** The recommendation, the final decision, the factors with cited evidence and counterfactuals (假设分析). */
  @Get(':id/decision')
  decision(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string): Promise<DecisionView> {
    return this.queries.decision(user, id);
  }

  @Get(':id/allowed-actions')
  allowedActions(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string) {
    return this.queries.explainActions(user, id, this.clock.now());
  }

  @Post(':id/explanation')
  @HttpCode(200)
  @Roles('cadre')
  async explanation(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ExplanationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.submitExplanation(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

  @Post(':id/assessment')
  @HttpCode(200)
  @Roles('officer')
  async assessment(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: AssessmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.recordAssessment(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('leader')
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ReviewDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.review(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('officer')
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: WithdrawDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.withdraw(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

  @Get(':id/audit')
  async auditTrail(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Query() query: AuditListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditEventView[]> {
    const limit = query.limit ?? AUDIT_LIMIT;
    const slice = await this.queries.auditTrail(user, id, query.afterSeq ?? 0, limit);
    sendNextCursor(reply, `/cases/${id}/audit`, 'afterSeq', slice.next, limit, query);
    return slice.items;
  }

  /** The hash chain recomputed, and the events replayed through their machine and policy versions. */
  @Get(':id/audit/verify')
  @Roles('officer', 'leader', 'admin')
  verifyAudit(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string): Promise<FullVerifyResult> {
    return this.history.verify(user, id);
  }

  /** Refusals by recusal or separation of duties: kept out of the hash chain, which holds accepted commands. */
  @Get(':id/access-log')
  @Roles('officer', 'leader', 'admin')
  async accessLog(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Query() query: OffsetQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const entries = await offsetPage(reply, `/cases/${id}/access-log`, query, (skip, take) => this.queries.accessLog(user, id, skip, take));
    return entries.map(({ userId, action, reason, at }) => ({ userId, action, reason, at }));
  }
}
