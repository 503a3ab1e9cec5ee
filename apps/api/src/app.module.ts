import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { QueuesBoardModule } from '@caseledger/deadlines';
import { API_OPS, OpsController, opsProfile } from '@caseledger/http';
import { PlatformModule, type AppConfig, type Clock } from '@caseledger/platform';
import { AuditModule } from './audit/audit.module';
import { CaseloadsModule } from './caseloads/caseloads.module';
import { CasesModule } from './cases/cases.module';
import { CustomersModule } from './customers/customers.module';
import { AuthGuard } from './common/auth/auth.guard';
import { JwtVerifier } from './common/auth/jwt-verifier';
import { CommandInterceptor } from './common/http/command.interceptor';
import { ProblemDetailsFilter } from './common/problems/problem-details.filter';
import { ReportsModule } from './reports/reports.module';

export interface AppModuleOptions {
  config: AppConfig;
  clock?: Clock;
  /**
   * Modules that run in the same process: the all-in-one `npm start` passes
   * the worker's module (projections, deadline jobs) here; the API-only
   * deployment passes none. They share the PlatformModule's providers.
   */
  workers?: ModuleMetadata['imports'];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config: options.config,
          ...(options.clock ? { clock: options.clock } : {}),
        }),
        CasesModule,
        CaseloadsModule,
        AuditModule,
        ReportsModule,
        CustomersModule,
        // Bull Board at /admin/queues, admins only.
        QueuesBoardModule.forRoot({ verifier: JwtVerifier }),
        ...(options.workers ?? []),
      ],
      // Store and Redis decide health; the worker side's probes are reported when in-process.
      controllers: [OpsController],
      providers: [
        opsProfile(API_OPS),
        JwtVerifier,
        CommandInterceptor,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
