import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the executor reports; the Prometheus implementation below is the only one in production. */
export interface CommandObserver {
  commandHandled(type: string, outcome: CommandOutcome, ruleId?: string): void;
  appendObserved(seconds: number): void;
  /** A concurrency conflict made the executor re-read and decide again. */
  conflictRetried?(type: string): void;
}

export type CommandOutcome = 'accepted' | 'unchanged' | 'refused' | 'conflict' | 'stale' | 'error';

/**
 * One registry per process (not prom-client's global), so several apps in one
 * test process never register a metric twice.
 */
export class CommandMetrics implements CommandObserver {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: 'caseledger_commands_total',
    help: 'Case commands handled, by command type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'caseledger_command_refusals_total',
    help: 'Commands refused by a domain rule, by rule id',
    labelNames: ['rule'],
    registers: [this.registry],
  });
  private readonly appendLatency = new Histogram({
    name: 'caseledger_append_duration_seconds',
    help: 'Event store append latency',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  private readonly retries = new Counter({
    name: 'caseledger_command_retries_total',
    help: 'Re-reads after a concurrency conflict (another writer appended first), by command type',
    labelNames: ['type'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  commandHandled(type: string, outcome: CommandOutcome, ruleId?: string): void {
    this.commands.inc({ type, outcome });
    if (ruleId && (outcome === 'refused' || outcome === 'conflict')) {
      this.refusals.inc({ rule: ruleId });
    }
  }

  conflictRetried(type: string): void {
    this.retries.inc({ type });
  }

  appendObserved(seconds: number): void {
    this.appendLatency.observe(seconds);
  }
}
