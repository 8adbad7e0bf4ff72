import { type DynamicModule, Module } from '@nestjs/common';

import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CasesModule } from './cases/cases.module.js';
import { ConflictsModule } from './conflicts/conflicts.module.js';
import { CoreModule, type CoreOptions } from './core.module.js';
import { DeadlinesModule } from './deadlines/deadlines.module.js';
import { DossierModule } from './dossier/dossier.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { HealthController } from './health.controller.js';
import { MeModule } from './me/me.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { PoliciesModule } from './policies/policies.module.js';
import { RecordsModule } from './records/records.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { DirectoryModule } from './users/directory.module.js';

export type AppOptions = CoreOptions;

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        AuthModule,
        DirectoryModule,
        CasesModule,
        AuditModule,
        DossierModule,
        EvidenceModule,
        ConflictsModule,
        MeModule,
        PoliciesModule,
        RecordsModule,
        ReportsModule,
        OperationsModule,
        // for HealthController's calendar coverage
        DeadlinesModule,
      ],
      controllers: [HealthController],
    };
  }
}
