import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from './auth/auth-user.js';
import { ApiOk } from './common/openapi-decorators.js';
import { HealthResponse } from './health.response.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers' })
  @ApiOk({ type: HealthResponse })
  @Public()
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
