import { DossierModule } from './dossier/dossier.module.js';
import { AuditModule } from './audit/audit.module.js';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { CasesModule } from './cases/cases.module.js';
import { ConflictsModule } from './conflicts/conflicts.module.js';
import { CoreModule, type CoreOptions } from './core.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { HealthController } from './health.controller.js';
import { MeModule } from './me/me.module.js';
import { PoliciesModule } from './policies/policies.module.js';
import { RecordsModule } from './records/records.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { DirectoryModule } from './users/directory.module.js';

export interface AppOptions extends CoreOptions {
  /** Where log lines go; standard output when absent (tests read them here). */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    // No redaction list: no line carries a request's headers (configure-app.ts logs requests without them).
    const pinoOptions = { level: options.config.LOG_LEVEL };
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.logDestination ? [pinoOptions, options.logDestination] : pinoOptions,
          // No route: requests are logged by a Fastify hook (configure-app.ts). nestjs-pino's request
          // middleware (pino-http, and an AsyncLocalStorage scope around every request) cost a tenth of a
          // transition's CPU in `npm run bench`, and its default route ('{/*splat}', which reached
          // @fastify/middie as '/{/*splat}') had in fact matched no request at all.
          forRoutes: [],
        }),
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
      ],
      controllers: [HealthController],
    };
  }
}
