import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AUDIT_LIMIT, AuditListQuery } from '../audit/audit-list.query.js';
import type { AuditEventView } from '../audit/audit-trail.service.js';
import { AuditEventResponse } from '../audit/dto/audit.response.js';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { parseIfMatch } from '../common/if-match.js';
import { toUtcIso } from '../common/instant.js';
import { ApiErrors, ApiIfMatch, ApiOk, ETAG_HEADER, NEXT_CURSOR_HEADERS } from '../common/openapi-decorators.js';
import { offsetPage, OffsetQuery, sendNextCursor } from '../common/paging.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { assessment } from '../workflow/commands/assessment.js';
import { explanation } from '../workflow/commands/explanation.js';
import { review } from '../workflow/commands/review.js';
import { withdraw } from '../workflow/commands/withdraw.js';
import { CaseCommandRunner } from './case-command-runner.js';
import { CaseHistoryService, type FullVerifyResult } from './case-history.service.js';
import { caseIdPipe } from './case-id.pipe.js';
import { CaseQueriesService } from './case-queries.service.js';
import { replyWithCase, toCaseView, toHistoricalView } from './case-view.js';
import type { DecisionView } from './decision-view.js';
import { AllowedActionsQuery } from './dto/allowed-actions.query.js';
import { CaseAsOfQuery } from './dto/case-as-of.query.js';
import { AssessmentDto, ExplanationDto, ReviewDto, WithdrawDto } from './dto/case-commands.dto.js';
import { CasePageResponse, CaseViewResponse } from './dto/case-view.response.js';
import { AccessLogEntryResponse, AllowedActionResponse, DecisionViewResponse, VerifyResultResponse } from './dto/decision-view.response.js';
import { ListCasesQuery } from './dto/list-cases.query.js';
import { OpenCaseDto } from './dto/open-case.dto.js';

/** Thin: validate (DTOs, global pipe), call one service method (a command: the runner with its definition), map the result. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CaseCommandRunner) private readonly commands: CaseCommandRunner,
    @Inject(CaseQueriesService) private readonly queries: CaseQueriesService,
    @Inject(CaseHistoryService) private readonly history: CaseHistoryService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @ApiOperation({ operationId: 'openCase', summary: 'Open a case (立案) about a cadre' })
  @ApiResponse({
    status: 201,
    description: 'the case, `awaitingExplanation`, its policy pinned',
    type: CaseViewResponse,
    headers: ETAG_HEADER,
  })
  @ApiErrors(400, 401, 403, 413, 422)
  @Post()
  @Idempotent()
  @Roles('officer')
  async open(@CurrentUser() user: AuthUser, @Body() body: OpenCaseDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return replyWithCase(reply, await this.commands.open(user, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'listCases', summary: 'List the cases the caller may see, filtered and paged' })
  @ApiOk({ type: CasePageResponse })
  @ApiErrors(400, 401, 403, 503)
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    const now = this.clock.now();
    const page = await this.queries.list(user, query, now);
    return { ...page, items: page.items.map((aggregate) => toCaseView(aggregate, user, now)) };
  }

  @ApiOperation({ operationId: 'getCase', summary: 'One case; with `asOf`, as it stood then (rebuilt by replay)' })
  @ApiOk({ type: CaseViewResponse, description: 'the case view (`ETag` only without `asOf`)', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404)
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
  @ApiOperation({ operationId: 'getDecision', summary: 'The explained decision: recommendation, trace, factors, counterfactuals' })
  @ApiOk({ type: DecisionViewResponse })
  @ApiErrors(401, 403, 404, 409)
  @Get(':id/decision')
  decision(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string): Promise<DecisionView> {
    return this.queries.decision(user, id);
  }

  @ApiOperation({ operationId: 'listAllowedActions', summary: 'Every command, whether the caller may issue it now, and why not' })
  @ApiOk({ type: [AllowedActionResponse] })
  @ApiErrors(400, 401, 403, 404)
  @Get(':id/allowed-actions')
  allowedActions(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string, @Query() query: AllowedActionsQuery) {
    return this.queries.explainActions(user, id, this.clock.now(), query.include === 'refusal');
  }

  @ApiOperation({ operationId: 'submitExplanation', summary: 'The cadre’s statement (陈述申辩), citing evidence' })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `underAssessment`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
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
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), explanation, body), user, this.clock.now());
  }

  @ApiOperation({
    operationId: 'recordAssessment',
    summary: 'The officer’s assessment (three distinctions, conditions): sets the recommendation',
  })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `pendingReview`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
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
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), assessment, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'reviewCase', summary: 'A leader approves, returns or overrides the recommendation' })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `decided` (or `underAssessment` after `return`)', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
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
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), review, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'withdrawCase', summary: 'Withdraw a case before its decision, optionally clearing the cadre’s name' })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `withdrawn`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
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
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), withdraw, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'listAuditEvents', summary: 'The case’s hash-chained events, by seq' })
  @ApiOk({ type: [AuditEventResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403, 404)
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
  @ApiOperation({
    operationId: 'verifyAuditTrail',
    summary: 'Recompute the hash chain and replay the events through their machine and policy',
  })
  @ApiOk({ type: VerifyResultResponse })
  @ApiErrors(401, 403, 404)
  @Get(':id/audit/verify')
  @Roles('officer', 'leader', 'admin')
  verifyAudit(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string): Promise<FullVerifyResult> {
    return this.history.verify(user, id);
  }

  /** Refusals by recusal or separation of duties: kept out of the hash chain, which holds accepted commands. */
  @ApiOperation({ operationId: 'listAccessLog', summary: 'Attempts refused by recusal or separation of duties, newest first' })
  @ApiOk({ type: [AccessLogEntryResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403, 404)
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
