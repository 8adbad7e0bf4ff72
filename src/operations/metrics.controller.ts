import { Controller, Get, Header, Inject, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';

import { IS_PUBLIC } from '../auth/auth-user.js';
import { ApiErrors } from '../common/openapi-decorators.js';
import { Metrics } from './metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';

@ApiTags('operations')
@ApiBearerAuth('bearer')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: requests, commands, the unit of work, deadlines, sweepers, evidence (admins or METRICS_TOKEN)',
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(401, 403)
  // Not @Public(): the global guard steps aside, but the route still needs a bearer token (MetricsAccessGuard).
  @SetMetadata(IS_PUBLIC, true)
  @UseGuards(MetricsAccessGuard)
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Get()
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
