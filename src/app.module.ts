import { DossierModule } from './dossier/dossier.module.js';
import { AuditModule } from './audit/audit.module.js';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
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
    const pinoOptions = {
      level: options.config.LOG_LEVEL,
      // Fastify assigns the request id (configure-app.ts) and stores it on the raw request, which
      // pino-http reuses, so logs and error bodies carry the same id.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    };
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.logDestination ? [pinoOptions, options.logDestination] : pinoOptions,
          // Every route. nestjs-pino's default, '{/*splat}', reached @fastify/middie as '/{/*splat}', which
          // matches only '/' and '//…': no request was logged, and logs made during a request lacked its id.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        CoreModule.forRoot({ config: options.config, clock: options.clock }),
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
