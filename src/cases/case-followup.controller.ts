import { randomUUID } from 'node:crypto';

import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { parseIfMatch } from '../common/if-match.js';
import { ApiErrors, ApiIfMatch, ApiOk, ETAG_HEADER } from '../common/openapi-decorators.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { appeal } from '../workflow/commands/appeal.js';
import { appealReview } from '../workflow/commands/appeal-review.js';
import { correctiveActionReport, correctiveActions, correctiveActionVerify } from '../workflow/commands/corrective-actions.js';
import type { CaseAggregate } from './case-aggregate.js';
import { CaseCommandRunner } from './case-command-runner.js';
import { actionIdPipe, caseIdPipe } from './case-id.pipe.js';
import { replyWithCase, setCaseEtag, toActionView } from './case-view.js';
import {
  AppealDto,
  AppealReviewDto,
  CreateCorrectiveActionDto,
  ReportCorrectiveActionDto,
  VerifyCorrectiveActionDto,
} from './dto/appeal-and-correction.dto.js';
import { CaseViewResponse, CorrectiveActionResponse, CorrectiveActionWithCaseResponse } from './dto/case-view.response.js';

/** After the decision: appeals (申诉) and correction follow-through (纠错). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id')
export class CaseFollowUpController {
  constructor(
    @Inject(CaseCommandRunner) private readonly commands: CaseCommandRunner,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @ApiOperation({ operationId: 'appealDecision', summary: 'The cadre appeals (申诉) the decision, inside the appeal window' })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `appealReview`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
  @Post('appeal')
  @Idempotent()
  @HttpCode(200)
  @Roles('cadre')
  async appeal(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: AppealDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), appeal, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'decideAppeal', summary: 'A leader upholds or revises the decision under appeal' })
  @ApiOk({ type: CaseViewResponse, description: 'the case, `closed` or `correcting`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
  @Post('appeal-review')
  @HttpCode(200)
  @Roles('leader')
  async appealReview(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: AppealReviewDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.commands.run(user, id, parseIfMatch(ifMatch), appealReview, body), user, this.clock.now());
  }

  @ApiOperation({ operationId: 'addCorrectiveAction', summary: 'Set a corrective action (纠错) on a case decided `correct`' })
  @ApiResponse({ status: 201, type: CorrectiveActionResponse, description: 'the action, `open`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
  @Post('corrective-actions')
  @Idempotent()
  @Roles('officer')
  async addAction(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: CreateCorrectiveActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const actionId = randomUUID();
    const aggregate = await this.commands.run(user, id, parseIfMatch(ifMatch), correctiveActions, { ...body, actionId });
    const action = actionOf(aggregate, actionId);
    setCaseEtag(reply, aggregate);
    return toActionView(action, this.clock.now());
  }

  @ApiOperation({ operationId: 'reportCorrectiveAction', summary: 'The cadre reports a corrective action done' })
  @ApiOk({ type: CorrectiveActionWithCaseResponse, description: 'the action, `reported`', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
  @Post('corrective-actions/:actionId/report')
  @HttpCode(200)
  @Roles('cadre')
  async reportAction(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Param('actionId', actionIdPipe) actionId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ReportCorrectiveActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const aggregate = await this.commands.run(user, id, parseIfMatch(ifMatch), correctiveActionReport, { ...body, actionId });
    const action = actionOf(aggregate, actionId);
    setCaseEtag(reply, aggregate);
    return { ...toActionView(action, this.clock.now()), case: { state: aggregate.row.state, version: aggregate.row.version } };
  }

  @ApiOperation({ operationId: 'verifyCorrectiveAction', summary: 'The officer accepts a reported action, or sends it back' })
  @ApiOk({ type: CorrectiveActionWithCaseResponse, description: 'the action, `verified` or `open` again', headers: ETAG_HEADER })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 422)
  @ApiIfMatch()
  @Post('corrective-actions/:actionId/verify')
  @HttpCode(200)
  @Roles('officer')
  async verifyAction(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Param('actionId', actionIdPipe) actionId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: VerifyCorrectiveActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const aggregate = await this.commands.run(user, id, parseIfMatch(ifMatch), correctiveActionVerify, { ...body, actionId });
    const action = actionOf(aggregate, actionId);
    setCaseEtag(reply, aggregate);
    return { ...toActionView(action, this.clock.now()), case: { state: aggregate.row.state, version: aggregate.row.version } };
  }
}

/** The action a command just wrote (its definition refused an unknown id with a 404 before anything was written). */
function actionOf(aggregate: CaseAggregate, actionId: string) {
  return aggregate.actions.find((a) => a.id === actionId)!;
}
