import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { QueuesBoardModule } from '@caseledger/deadlines';
import { PlatformModule, type AppConfig, type Clock } from '@caseledger/platform';
import { LoggerModule, type Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditModule } from './audit/audit.module';
import { CaseloadsModule } from './caseloads/caseloads.module';
import { CasesModule } from './cases/cases.module';
import { AuthGuard } from './common/auth/auth.guard';
import { JwtVerifier } from './common/auth/jwt-verifier';
import { CommandInterceptor } from './common/http/command.interceptor';
import { redactUrl } from '@caseledger/http';
import { ProblemDetailsFilter } from './common/problems/problem-details.filter';
import { HealthController } from './health/health.controller';

export interface AppModuleOptions {
  config: AppConfig;
  clock?: Clock;
  /**
   * Modules that run in the same process: the all-in-one `npm start` passes
   * the worker's module (projections, deadline jobs) here; the API-only
   * deployment passes none. They share the PlatformModule's providers.
   */
  workers?: ModuleMetadata['imports'];
  /** Where log lines go (default stdout); tests read them to prove what is never logged. */
  logDestination?: NodeJS.WritableStream;
}

type PinoHttpOptions = import('pino-http').Options;

const CORRELATION_HEADER = 'x-correlation-id';

/** A client's correlation id is honoured when it is a sane token; otherwise one is minted. */
export function correlationIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && /^[\x21-\x7e]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

function withDestination(
  destination: NodeJS.WritableStream | undefined,
  options: PinoHttpOptions,
): Params['pinoHttp'] {
  return destination ? [options, destination] : options;
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
        LoggerModule.forRoot({
          pinoHttp: withDestination(options.logDestination, {
            level: options.config.logLevel,
            genReqId: correlationIdOf,
            customAttributeKeys: { reqId: 'correlationId' },
            // No bodies are logged (customer names stay out of logs); headers only by allow-list.
            serializers: {
              // Credentials in a query (`/admin/queues?token=<JWT>`) never reach a log line.
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: redactUrl(req.url),
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          }),
        }),
        CasesModule,
        CaseloadsModule,
        AuditModule,
        // Bull Board at /admin/queues, admins only (issue 6).
        QueuesBoardModule.forRoot({ verifier: JwtVerifier }),
        ...(options.workers ?? []),
      ],
      controllers: [HealthController],
      providers: [
        JwtVerifier,
        CommandInterceptor,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
