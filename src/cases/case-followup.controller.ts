import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { parseIfMatch } from '../common/if-match.js';
import { AppealCommandsService } from './appeal-commands.service.js';
import { actionIdPipe, caseIdPipe } from './case-id.pipe.js';
import { replyWithCase, setCaseEtag, toActionView } from './case-view.js';
import { CorrectionCommandsService } from './correction-commands.service.js';
import {
  AppealDto,
  AppealReviewDto,
  CreateCorrectiveActionDto,
  ReportCorrectiveActionDto,
  VerifyCorrectiveActionDto,
} from './dto/appeal-and-correction.dto.js';

/** After the decision: appeals (申诉) and correction follow-through (纠错). */
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'case version; 412 when stale' })
@Controller('cases/:id')
export class CaseFollowUpController {
  constructor(
    @Inject(AppealCommandsService) private readonly appeals: AppealCommandsService,
    @Inject(CorrectionCommandsService) private readonly corrections: CorrectionCommandsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Post('appeal')
  @HttpCode(200)
  @Roles('cadre')
  async appeal(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: AppealDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return replyWithCase(reply, await this.appeals.appeal(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

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
    return replyWithCase(reply, await this.appeals.decide(user, id, parseIfMatch(ifMatch), body), user, this.clock.now());
  }

  @Post('corrective-actions')
  @Roles('officer')
  async addAction(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: CreateCorrectiveActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { aggregate, action } = await this.corrections.add(user, id, parseIfMatch(ifMatch), body);
    setCaseEtag(reply, aggregate);
    return toActionView(action, this.clock.now());
  }

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
    const { aggregate, action } = await this.corrections.report(user, id, actionId, parseIfMatch(ifMatch), body);
    setCaseEtag(reply, aggregate);
    return { ...toActionView(action, this.clock.now()), case: { state: aggregate.row.state, version: aggregate.row.version } };
  }

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
    const { aggregate, action } = await this.corrections.verify(user, id, actionId, parseIfMatch(ifMatch), body);
    setCaseEtag(reply, aggregate);
    return { ...toActionView(action, this.clock.now()), case: { state: aggregate.row.state, version: aggregate.row.version } };
  }
}
