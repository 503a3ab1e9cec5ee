import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  type BusinessDate,
  type CaseEvent,
  type JobInformation,
} from '@caseledger/domain';
import type { NewEvent, Position, RecordedEvent } from '@caseledger/event-store';

/**
 * Builders of case events for projection tests (STYLE.md: builders such as
 * caseOpened()). They build the domain's own event shapes; the projection folds
 * them with the domain's evolve.
 */
export const MA_TERMS = {
  policyId: 'MA-WIA-04-34',
  version: 2,
  contactIntervalDays: 60,
  softExitWindowDays: 90,
  followUpPeriodDays: 30,
  followUpMonths: 12,
  followUpEveryDays: 90,
};

export interface Assigned {
  careerCenterId?: string;
  localAreaId?: string;
  caseManagerId?: string;
}

export const caseOpened = (
  caseId: string,
  on: BusinessDate,
  a: Assigned & { firstName?: string; lastName?: string } = {},
): CaseEvent => ({
  type: 'CaseOpened',
  data: {
    caseId,
    customer: {
      id: `cust-${caseId}`,
      firstName: a.firstName ?? 'Ada',
      lastName: a.lastName ?? 'Lovelace',
    },
    program: 'WIOA_ADULT',
    careerCenterId: a.careerCenterId ?? 'cc-boston',
    localAreaId: a.localAreaId ?? 'MA-DEFAULT',
    caseManagerId: a.caseManagerId ?? 'cm-1',
    openedOn: on,
    policy: MA_TERMS,
  },
});

const notes = {
  progress: 'Attending welding classes, on track',
  justification: 'Needs continued services until certification',
};

export const contactRecorded = (
  on: BusinessDate,
  extra: { contactId?: string; followUp?: boolean; answersOutreach?: string[] } = {},
): CaseEvent => ({
  type: 'ContactRecorded',
  data: {
    contactId: extra.contactId ?? randomUUID(),
    method: 'IN_PERSON',
    party: 'CUSTOMER',
    outcome: extra.answersOutreach ? 'RESPONSE_RECEIVED' : 'REACHED',
    occurredOn: on,
    qualifying: true,
    ...notes,
    ...(extra.followUp !== undefined ? { followUp: extra.followUp } : {}),
    ...(extra.answersOutreach ? { answersOutreach: extra.answersOutreach } : {}),
  },
});

export const outreachSent = (on: BusinessDate, contactId: string = randomUUID()): CaseEvent => ({
  type: 'ContactAttempted',
  data: {
    contactId,
    method: 'LETTER',
    party: 'CUSTOMER',
    outcome: 'SENT',
    occurredOn: on,
    qualifying: false,
    reason: 'OUTREACH_SENT',
    ...notes,
  },
});

export const noAnswer = (on: BusinessDate): CaseEvent => ({
  type: 'ContactAttempted',
  data: {
    contactId: randomUUID(),
    method: 'TELEPHONE',
    party: 'CUSTOMER',
    outcome: 'NO_ANSWER',
    occurredOn: on,
    qualifying: false,
    reason: 'NO_ANSWER',
    ...notes,
  },
});

export const barrierIdentified = (
  on: BusinessDate,
  barrierId: string = randomUUID(),
  plan = 'Bus pass through support services',
): CaseEvent => ({
  type: 'BarrierIdentified',
  data: { barrierId, category: 'TRANSPORTATION', description: 'No car', plan, identifiedOn: on },
});

export const barrierOvercome = (on: BusinessDate, barrierId: string): CaseEvent => ({
  type: 'BarrierOvercome',
  data: { barrierId, how: 'Bought a car', overcomeOn: on },
});

export const caseTransferred = (
  on: BusinessDate,
  from: Required<Assigned>,
  to: Required<Assigned>,
): CaseEvent => ({
  type: 'CaseTransferred',
  data: { from, to, reason: 'Customer moved', transferredOn: on, policy: MA_TERMS },
});

export const JOB: JobInformation = {
  title: 'Welder',
  employerName: 'Acme Fabrication',
  employerAddress: '1 Main St, Boston MA',
  employerPhone: '617-555-0100',
  employerContact: 'Pat Doe',
  hourlyWage: 24.5,
  hoursPerWeek: 40,
  benefits: 'Health, dental',
};

export const employmentRecorded = (
  startDate: BusinessDate,
  followUpDueOn: BusinessDate,
): CaseEvent => ({
  type: 'EmploymentRecorded',
  data: { job: JOB, startDate, followUpDueOn },
});

export const caseSuspended = (
  on: BusinessDate,
  reason: 'EMPLOYMENT_ATTAINED' | 'CUSTOMER_WITHDREW' = 'CUSTOMER_WITHDREW',
): CaseEvent => ({
  type: 'CaseSuspended',
  data: { reason, details: 'Customer asked to stop services', suspendedOn: on },
});

export const suspensionReturned = (on: BusinessDate): CaseEvent => ({
  type: 'SuspensionReturned',
  data: { requestedInformation: 'Attach the withdrawal letter', returnedOn: on },
});

export const caseClosed = (
  on: BusinessDate,
  reason: 'EMPLOYMENT_ATTAINED' | 'CUSTOMER_WITHDREW' = 'CUSTOMER_WITHDREW',
): CaseEvent => ({
  type: 'CaseClosed',
  data: {
    reason,
    closedOn: on,
    exitDate: null,
    rules: ['R14', 'R16'],
    policy: null,
    suspension: null,
    approvedBy: null,
    softExit: null,
    employmentVerifiedBy: null,
    exit: null,
  },
});

export const caseSoftExited = (
  exitDate: BusinessDate,
  dueOn: BusinessDate,
  detectedOn: BusinessDate,
): CaseEvent => ({
  type: 'CaseSoftExited',
  data: {
    exitDate,
    dueOn,
    detectedOn,
    rules: ['R8', 'R17'],
    trigger: 'DEADLINE_PASSED',
    policy: null,
    exit: null,
  },
});

/** The event as a caller appends it to the store. */
export const toNewEvent = (event: CaseEvent, actorCenter = 'cc-boston'): NewEvent => {
  const id = randomUUID();
  return {
    eventId: id,
    type: event.type,
    data: event.data,
    metadata: {
      commandId: id,
      correlationId: id,
      causationId: id,
      actor: { staffId: 'cm-1', role: 'case_manager', careerCenterId: actorCenter },
      schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
    },
  };
};

/** Stored-looking events with consecutive positions, for pure projection specs. */
export class FakePositions {
  private next = 1n;
  record(caseId: string, event: CaseEvent, revision = 0): RecordedEvent {
    const position: Position = { commit: this.next, prepare: this.next };
    this.next += 1n;
    const eventId = randomUUID();
    return {
      streamId: `case-${caseId}`,
      revision,
      position,
      eventId,
      type: event.type,
      data: event.data,
      metadata: {
        eventId,
        commandId: eventId,
        correlationId: eventId,
        causationId: eventId,
        actor: { staffId: 'cm-1', role: 'case_manager', careerCenterId: 'cc-boston' },
        schemaVersion: 1,
        recordedAt: new Date(0).toISOString(),
      },
      hash: '',
      previousHash: '',
    };
  }
}
