import { Controller, Get, Inject, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { CaseFilterQuery } from '../cases/dto/case-filter.query.js';
import { Clock } from '../common/clock.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { attachmentHeader } from '../evidence/attachment-header.js';
import { CaseExportService } from './case-export.service.js';
import { SummaryQuery } from './dto/summary.query.js';
import { SummaryReportResponse } from './dto/summary.response.js';
import { ReportsService, type SummaryReport } from './reports.service.js';

/** Leadership reports (领导统计): figures for a unit and period, and the case list as a spreadsheet. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('leader', 'admin')
@Controller('reports')
export class ReportsController {
  constructor(
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(CaseExportService) private readonly exports: CaseExportService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Outcomes, three-distinction patterns, categories, units, override and appeal rates, days to decision; open and overdue now. */
  @ApiOperation({ operationId: 'getSummaryReport', summary: 'The leadership report (领导统计) for a unit and period' })
  @ApiOk({ type: SummaryReportResponse })
  @ApiErrors(400, 401, 403, 422, 503)
  @Get('summary')
  summary(@CurrentUser() user: AuthUser, @Query() query: SummaryQuery): Promise<SummaryReport> {
    return this.reports.summary(user, query, this.clock.now());
  }

  /** The cases of GET /cases (same filters and order, no paging) as CSV: UTF-8 with BOM, one row per case, streamed. */
  @ApiOperation({
    operationId: 'exportCasesCsv',
    summary: 'The cases of `listCases` (same filters and order, no paging) as a CSV attachment',
  })
  @ApiErrors(400, 401, 403, 503)
  @Get('cases.csv')
  @ApiOkResponse({
    description: 'CSV (RFC 4180), UTF-8 with a byte order mark; the first line names the columns',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: '`attachment; filename="cases-<date>.csv"`', schema: { type: 'string' } } },
  })
  async casesCsv(
    @CurrentUser() user: AuthUser,
    @Query() query: CaseFilterQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const now = this.clock.now();
    const stream = await this.exports.export(user, query, now);
    // A private report: never kept by shared caches.
    void reply.header('Cache-Control', 'private, no-store');
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: attachmentHeader(`cases-${now.toISOString().slice(0, 10)}.csv`),
    });
  }
}
