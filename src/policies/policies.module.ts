import { Module } from '@nestjs/common';

import { PoliciesController } from './policies.controller.js';

/** Read access to the policies CoreModule loaded at start-up (PolicyRegistry is global). */
@Module({ controllers: [PoliciesController] })
export class PoliciesModule {}
