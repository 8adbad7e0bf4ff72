import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { CadresController } from './cadres.controller.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';

@Module({
  imports: [AuthModule],
  controllers: [DirectoryController, CadresController],
  providers: [DirectoryService, AdminBootstrap],
  exports: [DirectoryService],
})
export class DirectoryModule {}
