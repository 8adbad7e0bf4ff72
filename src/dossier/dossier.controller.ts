import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { caseIdPipe } from '../cases/case-id.pipe.js';
import { DossierService } from './dossier.service.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class DossierController {
  constructor(@Inject(DossierService) private readonly dossiers: DossierService) {}

  /** Scoped as the case: a cadre may take their own case's dossier to an appeal or a lawyer. */
  @Get(':id/dossier')
  async dossier(@CurrentUser() user: AuthUser, @Param('id', caseIdPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const dossier = await this.dossiers.dossier(user, id);
    reply.header('Content-Disposition', `attachment; filename="case-${id}-dossier.json"`);
    return dossier;
  }
}
