import { Module } from '@nestjs/common';
import { AdminBootstrap } from './admin-bootstrap.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';

@Module({
  controllers: [DirectoryController],
  providers: [DirectoryService, AdminBootstrap],
  exports: [DirectoryService],
})
export class DirectoryModule {}
