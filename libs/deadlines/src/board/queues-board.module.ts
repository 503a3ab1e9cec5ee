import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import {
  BullBoardModule,
  InjectBullBoard,
  type BullBoardInstance,
  type BullBoardModuleOptions,
} from '@bull-board/nestjs';
import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnModuleDestroy,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@caseledger/platform';
import { Queue } from 'bullmq';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEADLINE_QUEUE, SWEEP_QUEUE } from '../deadline-queue';
import { deadlinesConfigOf } from '../deadlines.config';

export const QUEUES_BOARD_ROUTE = '/admin/queues';
const COOKIE = 'caseledger_board';

/** Whatever verifies the API's bearer tokens (the API's JwtVerifier). */
export interface BoardTokenVerifier {
  verify(token: string): Promise<{ role: string }>;
}

const BOARD_VERIFIER = Symbol('BOARD_VERIFIER');

function tokenOf(req: IncomingMessage & { url?: string }): { token?: string; fromQuery: boolean } {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  if (bearer) return { token: bearer, fromQuery: false };
  const query = new URL(req.url ?? '/', 'http://board').searchParams.get('token');
  if (query) return { token: query, fromQuery: true };
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
  return { token: cookie ? decodeURIComponent(cookie) : undefined, fromQuery: false };
}

/**
 * Over https (a TLS socket, a `req.secure` flag, or a proxy's
 * X-Forwarded-Proto) the cookie holding an admin's token is `Secure`, so a
 * browser never sends it over plain http.
 */
export function servedOverHttps(req: IncomingMessage): boolean {
  if ((req as { secure?: boolean }).secure === true) return true;
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0];
  return first?.trim().toLowerCase() === 'https';
}

function refuse(res: ServerResponse, status: 401 | 403, detail: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/problem+json');
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.end(
    JSON.stringify({
      type: status === 401 ? 'about:blank#unauthorized' : 'about:blank#forbidden',
      title: status === 401 ? 'Unauthorized' : 'Forbidden',
      status,
      detail,
    }),
  );
}

/**
 * Bull Board is for admins only (DESIGN.md roles: "an admin … runs operations").
 * A bearer token, or for a browser `?token=<JWT>` once, which is kept in an
 * HttpOnly cookie scoped to the board so its own scripts and API calls pass.
 */
@Injectable()
class AdminOnly {
  constructor(@Inject(BOARD_VERIFIER) private readonly verifier: BoardTokenVerifier) {}

  middleware() {
    return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
      const { token, fromQuery } = tokenOf(req);
      if (!token) return refuse(res, 401, 'An Authorization: Bearer <token> header is required.');
      this.verifier.verify(token).then(
        (actor) => {
          if (actor.role !== 'admin')
            return refuse(res, 403, 'Only admins may see the job queues.');
          if (fromQuery)
            res.setHeader(
              'Set-Cookie',
              `${COOKIE}=${encodeURIComponent(token)}; Path=${QUEUES_BOARD_ROUTE}; HttpOnly; SameSite=Strict${servedOverHttps(req) ? '; Secure' : ''}`,
            );
          next();
        },
        () => refuse(res, 401, 'The token was rejected.'),
      );
    };
  }
}

/** The deadline queues, opened read-mostly for the board (the API may run without the worker). */
@Injectable()
class BoardQueues implements OnModuleInit, OnModuleDestroy {
  private readonly queues: Queue[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectBullBoard() private readonly board: BullBoardInstance,
  ) {
    const { prefix, redisUrl } = deadlinesConfigOf(config);
    const connection = { url: redisUrl, maxRetriesPerRequest: null, lazyConnect: true };
    this.queues = [DEADLINE_QUEUE, SWEEP_QUEUE].map(
      (name) => new Queue(name, { connection, prefix }),
    );
  }

  onModuleInit(): void {
    for (const queue of this.queues) this.board.addQueue(new BullMQAdapter(queue));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

/**
 * Bull Board at /admin/queues, on the API's HTTP server. Import it in
 * the API's AppModule with the API's token verifier.
 */
@Module({})
export class QueuesBoardModule {
  static forRoot(options: { verifier: Type<BoardTokenVerifier> }): DynamicModule {
    const auth: DynamicModule = {
      module: class QueuesBoardAuth {},
      providers: [{ provide: BOARD_VERIFIER, useClass: options.verifier }, AdminOnly],
      exports: [AdminOnly],
    };
    return {
      module: QueuesBoardModule,
      imports: [
        BullBoardModule.forRootAsync({
          imports: [auth],
          inject: [AdminOnly],
          useFactory: (gate: AdminOnly) => ({
            route: QUEUES_BOARD_ROUTE,
            // @bull-board/fastify 9.10.1 types against its own copy of the api's typings.
            adapter: FastifyAdapter as unknown as BullBoardModuleOptions['adapter'],
            middleware: gate.middleware(),
          }),
        }),
      ],
      providers: [BoardQueues],
    };
  }
}
