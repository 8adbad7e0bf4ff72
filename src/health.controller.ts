import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from './auth/auth-user.js';
import { ApiOk } from './common/openapi-decorators.js';
import { HolidayCalendar } from './deadlines/holiday-calendar.js';
import { HealthResponse } from './health.response.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(HolidayCalendar) private readonly calendar: HolidayCalendar) {}

  // Liveness stays cheap: the calendar's coverage is a date comparison, no I/O.
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers, with warnings for the operator' })
  @ApiOk({ type: HealthResponse })
  @Public()
  @Get()
  health(): HealthResponse {
    const { coveredThrough, ok, warning } = this.calendar.coverage();
    return { status: 'ok', calendar: { coveredThrough, ok }, warnings: warning ? [warning] : [] };
  }
}
