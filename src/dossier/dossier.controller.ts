import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { CheckpointQuery } from '../audit/checkpoint.controller.js';
import type { InclusionProof } from '../audit/checkpoint.service.js';
import { InclusionProofResponse } from '../audit/dto/audit.response.js';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { caseIdPipe } from '../cases/case-id.pipe.js';
import { toUtcIso } from '../common/instant.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { DossierService } from './dossier.service.js';
import { CaseDossierResponse } from './dto/dossier.response.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class DossierController {
  constructor(@Inject(DossierService) private readonly dossiers: DossierService) {}

  /**
   * Proof that this case's history, up to its head at `asOf`, is inside the checkpoint of that instant:
   * with a checkpoint root kept elsewhere, `npm run verify-dossier -- dossier.json --proof proof.json
   * --root <root>` shows the dossier's events are the ones the checkpoint covered.
   */
  @ApiOperation({ operationId: 'getCheckpointProof', summary: 'RFC 6962 proof that the case’s chain head is in a checkpoint' })
  @ApiOk({ type: InclusionProofResponse })
  @ApiErrors(400, 401, 403, 404)
  @Get(':id/checkpoint-proof')
  checkpointProof(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Query() query: CheckpointQuery,
  ): Promise<InclusionProof> {
    return this.dossiers.checkpointProof(user, id, query.asOf === undefined ? undefined : toUtcIso(query.asOf));
  }

  /** Scoped as the case: a cadre may take their own case's dossier to an appeal or a lawyer. */
  @ApiOperation({ operationId: 'getDossier', summary: 'The case’s self-contained dossier, as an attachment' })
  @ApiOk({
    type: CaseDossierResponse,
    headers: { 'Content-Disposition': { description: '`attachment; filename="case-<id>-dossier.json"`', schema: { type: 'string' } } },
  })
  @ApiErrors(401, 403, 404)
  @Get(':id/dossier')
  async dossier(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const dossier = await this.dossiers.dossier(user, id);
    reply.header('Content-Disposition', `attachment; filename="case-${id}-dossier.json"`);
    return dossier;
  }
}
