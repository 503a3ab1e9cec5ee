import {
  addDays,
  invalid,
  startOfBusinessDate,
  type BusinessDate,
  type CaseCommand,
  type TicklerKind,
} from '@caseledger/domain';

/**
 * The three deadlines a case can have (DESIGN.md "Deadlines are derived, timers
 * are hints"): the R8/R17 soft exit, the R9 contact-due tickler and the R19
 * employment follow-up. Each kind has at most one BullMQ job per case.
 */
export const DEADLINE_KINDS = ['soft-exit', 'contact-due', 'follow-up'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** What a deadline job carries: enough to send its command and to measure lateness. */
export interface DeadlineJobData {
  caseId: string;
  kind: DeadlineKind;
  /** The business date the deadline is on; it fires once the area's local date is after it. */
  dueOn: BusinessDate;
  /** The IANA zone whose local date counts (the case's current local area). */
  timeZone: string;
  /** Epoch ms of the first instant of `dueOn + 1` in `timeZone`. */
  fireAt: number;
}

const TICKLER_OF: Record<Exclude<DeadlineKind, 'soft-exit'>, TicklerKind> = {
  'contact-due': 'CONTACT_DUE',
  'follow-up': 'FOLLOW_UP_DUE',
};

/**
 * STYLE.md 2: job ids are `soft-exit-<caseId>` and so on. BullMQ refuses `:` in
 * custom ids and treats integer-like ids as its own; the kind prefix rules out
 * the latter, and percent-encoding a client-chosen case id rules out the former.
 */
export function deadlineJobId(kind: DeadlineKind, caseId: string): string {
  return `${kind}-${encodeURIComponent(caseId)}`;
}

/**
 * The command id of the command a deadline job sends. It names the case and the
 * deadline, so a duplicate, retried or late job for the same deadline repeats a
 * command id and the executor appends nothing the second time.
 */
export function deadlineCommandId(kind: DeadlineKind, caseId: string, dueOn: BusinessDate): string {
  return `${kind}-${caseId}-${dueOn}`;
}

/** The first instant at which the area's local date is after `dueOn` (DESIGN.md "Dates"). */
export function fireInstant(dueOn: BusinessDate, timeZone: string): number {
  return startOfBusinessDate(addDays(dueOn, 1), timeZone).getTime();
}

/** A job only wakes the system (STYLE.md 2): the command it sends, which `decide` judges. */
export function deadlineCommand(data: Pick<DeadlineJobData, 'kind' | 'dueOn'>): CaseCommand {
  if (data.kind === 'soft-exit') return { type: 'SoftExitCase', data: {} };
  // The job's data comes back from Redis: this is the edge that parses its kind
  // (a refusal, as `decide` answered before; the processor logs it as refused).
  if (!Object.hasOwn(TICKLER_OF, data.kind))
    throw invalid('validation', `unknown deadline kind ${String(data.kind)}`, ['kind']);
  return { type: 'RaiseTickler', data: { kind: TICKLER_OF[data.kind], dueOn: data.dueOn } };
}

export const ticklerKindOf = (kind: DeadlineKind): TicklerKind | null =>
  kind === 'soft-exit' ? null : TICKLER_OF[kind];
