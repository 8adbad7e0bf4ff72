import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';

import { Public } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { ReadinessResponse } from './readiness.response.js';
import { ReadinessChecks } from './readiness-checks.js';

@ApiTags('health')
@Controller('health')
export class ReadinessController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
  ) {}

  /**
   * For a load balancer or orchestrator: 200 when every check passes (or is only degraded), else 503 whose
   * `fields` name each check that failed and why. Public like /health: it tells nothing about the cases.
   */
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers, the evidence folder is writable, migrations are current, policies loaded',
  })
  @ApiOk({ type: ReadinessResponse })
  @ApiErrors(503)
  @Public()
  @Header('Cache-Control', 'no-store')
  @Get('ready')
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks.all());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) {
        throw error;
      }
      const result = error.getResponse() as HealthCheckResult;
      const failed = Object.entries(result.error ?? {}).map(([field, detail]) => ({ field, message: describe(detail) }));
      throw new DomainError('SERVICE_UNAVAILABLE', `not ready: ${failed.map((f) => `${f.field}: ${f.message}`).join('; ')}`, failed);
    }
  }
}

function describe(detail: Record<string, unknown> | undefined): string {
  return typeof detail?.message === 'string' ? detail.message : 'down';
}
