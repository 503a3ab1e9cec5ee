import {
  ParkedEvents,
  positionToString,
  retryParkedEvents,
  type ParkedEventRetrier,
  type ParkedFilter,
} from '@caseledger/event-store';
import {
  DeadlineReactor,
  DeadlineScheduler,
  ReactorCheckpoints,
  createDeadlineQueue,
} from '@caseledger/deadlines';
import { createPolicyLookup, loadPolicies, systemClock } from '@caseledger/platform';
import { PROJECTIONS, projectionRetrier } from '@caseledger/projections';
import { Redis } from 'ioredis';
import { CliError, configOf, openStorage, type CliIo } from './projections.command';

export const PARKED_USAGE = `usage:
  npm run cli -- parked list [--consumer C] [--json]          events a consumer could not apply (the dead-letter table)
  npm run cli -- parked retry [--consumer C] [--id N]         apply them again once the cause is fixed (per stream, oldest first)
consumers: ${Object.keys(PROJECTIONS).join(', ')}, deadline-reactor`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError(`${name} needs a value`);
  return value;
}

function filterOf(args: string[]): ParkedFilter {
  const consumer = option(args, '--consumer');
  const id = option(args, '--id');
  if (id !== undefined && !/^[1-9]\d{0,18}$/.test(id)) throw new CliError('--id must be a number');
  return { ...(consumer !== undefined ? { consumer } : {}), ...(id !== undefined ? { id } : {}) };
}

/**
 * The operators' view of parked events (poison events a consumer set aside
 * so that the other cases keep updating): list them, and retry them once the
 * cause is fixed. A retry re-applies a stream's parked events oldest first;
 * the live consumer, meanwhile, keeps parking that stream's new events behind
 * them, so nothing is applied out of order.
 */
export async function parkedCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'retry') throw new CliError(PARKED_USAGE);
  const filter = filterOf(rest);
  const { sql, store } = await openStorage(env);
  const parked = new ParkedEvents(sql);
  let redis: Redis | undefined;
  try {
    await parked.migrate();
    if (action === 'list') {
      const events = await parked.list(filter);
      if (rest.includes('--json')) {
        io.out(
          JSON.stringify(
            events.map((e) => ({ ...e, position: positionToString(e.position), event: undefined })),
          ),
        );
        return 0;
      }
      if (events.length === 0) {
        io.out('no parked events');
        return 0;
      }
      for (const e of events) {
        io.out(
          `#${e.id} ${e.consumer} ${e.eventType} ${e.streamId}@${e.revision} position ${positionToString(e.position)} ` +
            `attempts ${e.attempts} first ${e.firstFailedAt} last ${e.lastFailedAt}\n    ${e.error}`,
        );
      }
      io.out(
        `${events.length} parked event(s); retry with: npm run cli -- parked retry [--consumer C] [--id N]`,
      );
      return 0;
    }

    const config = configOf(env);
    const retriers: ParkedEventRetrier[] = Object.values(PROJECTIONS).map((projection) =>
      projectionRetrier(sql, projection),
    );
    const wantsReactor =
      filter.consumer === undefined || filter.consumer === 'deadline-reactor' || filter.id;
    if (wantsReactor && (await parked.list({ consumer: 'deadline-reactor' })).length > 0) {
      // The reactor's retry reconciles the case's BullMQ jobs: it needs Redis.
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
      const queue = createDeadlineQueue(redis, config.deadlines.prefix);
      const policies = createPolicyLookup(loadPolicies(config.policiesFile));
      const reactor = new DeadlineReactor(
        store,
        new ReactorCheckpoints(sql),
        new DeadlineScheduler(queue, systemClock),
        (localAreaId) => policies(localAreaId)?.timeZone ?? 'UTC',
      );
      retriers.push(reactor.retrier());
    }
    const report = await retryParkedEvents(parked, retriers, filter);
    io.out(`retried: ${report.applied} parked event(s) applied`);
    for (const failure of report.failed) {
      io.err(
        `still failing: #${failure.id} ${failure.consumer} ${failure.streamId}: ${failure.error}`,
      );
    }
    for (const consumer of report.unknownConsumers) {
      io.err(`no retrier for consumer "${consumer}" in this tool`);
    }
    return report.failed.length > 0 || report.unknownConsumers.length > 0 ? 1 : 0;
  } finally {
    await redis?.quit().catch(() => undefined);
    await store.close();
    await sql.close();
  }
}
