import { Controller, Get, Inject, Param, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';

import { DomainError } from '../common/domain-error.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { PolicySummaryResponse } from './dto/policy-summary.response.js';
import { PolicyRegistry } from './policy-registry.js';
import { type PolicyDetail, type PolicySummary, toPolicyDetail, toPolicySummary } from './policy-view.js';

/**
 * A path parameter that must be written as a positive integer; anything else is a 400 naming it. The handler
 * declares it a string so the global pipe's implicit conversion cannot turn `1e2` into 100 first.
 */
class VersionPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9]\d{0,8}$/.test(value)) {
      throw DomainError.validation([{ field: 'version', message: 'must be a positive integer' }]);
    }
    return value;
  }
}

/**
 * The loaded decision policies, readable by every signed-in user: a cadre may read the rules that judged
 * them (transparency), and an officer chooses a jurisdiction's policy when opening a case.
 */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(@Inject(PolicyRegistry) private readonly registry: PolicyRegistry) {}

  @ApiOk({ type: [PolicySummaryResponse] })
  @ApiErrors(401, 403)
  @Get()
  @ApiOperation({ operationId: 'listPolicies', summary: 'Every loaded policy version (因地制宜: one id per jurisdiction)' })
  list(): PolicySummary[] {
    return this.registry.all().map((policy) => toPolicySummary(policy, this.registry));
  }

  @ApiOkResponse({ schema: { $ref: getSchemaPath('PolicyDetail') } })
  @ApiErrors(400, 401, 403, 404)
  @Get(':id/:version')
  @ApiOperation({ operationId: 'getPolicy', summary: 'One policy version in full: rules, deadlines, conditions, negative list' })
  @ApiParam({ name: 'version', type: 'integer' })
  get(@Param('id') id: string, @Param('version', new VersionPipe()) version: string): PolicyDetail {
    const policy = this.registry.get(id, Number(version));
    if (!policy) {
      throw DomainError.notFound(`policy ${id} version ${version}`);
    }
    return toPolicyDetail(policy, this.registry);
  }
}
