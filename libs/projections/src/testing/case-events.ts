import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  termsOf,
  type CaseEvent,
  type JobInformation,
} from '@caseledger/domain';
import * as domain from '@caseledger/domain/testing';
import type {
  EventMetadataInput,
  NewEvent,
  Position,
  RecordedEvent,
} from '@caseledger/event-store';

/**
 * Case events for projection tests, per case and date (STYLE.md: builders
 * such as caseOpened()). Each is the domain's own test builder
 * (libs/domain/src/testing/builders.ts, the one builder set) with the values
 * these specs read: a Massachusetts case in cc-boston, managed by cm-1.
 */
export const MA_TERMS = termsOf(domain.MA_POLICY);

/** A date as these builders take it, written out (`'2024-01-10'`); each parses it (`date`). */
type DateText = string;

export interface Assigned {
  careerCenterId?: string;
  localAreaId?: string;
  caseManagerId?: string;
}

export const caseOpened = (
  caseId: string,
  on: DateText,
  a: Assigned & { firstName?: string; lastName?: string } = {},
): CaseEvent => {
  const opened = domain.caseOpened({
    caseId,
    on: domain.date(on),
    careerCenterId: a.careerCenterId ?? 'cc-boston',
    localAreaId: a.localAreaId ?? 'MA-DEFAULT',
    caseManagerId: a.caseManagerId ?? 'cm-1',
    policy: domain.MA_POLICY,
  });
  const customer = {
    id: `cust-${caseId}`,
    firstName: a.firstName ?? 'Ada',
    lastName: a.lastName ?? 'Lovelace',
  };
  return { ...opened, data: { ...opened.data, customer } };
};

const notes = {
  progress: 'Attending welding classes, on track',
  justification: 'Needs continued services until certification',
};

export const contactRecorded = (
  on: DateText,
  extra: { contactId?: string; followUp?: boolean; answersOutreach?: string[] } = {},
): CaseEvent =>
  domain.contactRecorded({
    on: domain.date(on),
    id: extra.contactId ?? randomUUID(),
    outcome: extra.answersOutreach ? 'RESPONSE_RECEIVED' : 'REACHED',
    ...notes,
    ...(extra.followUp !== undefined ? { followUp: extra.followUp } : {}),
    ...(extra.answersOutreach ? { answersOutreach: extra.answersOutreach } : {}),
  });

export const outreachSent = (on: DateText, contactId: string = randomUUID()): CaseEvent =>
  domain.contactAttempted({
    on: domain.date(on),
    id: contactId,
    method: 'LETTER',
    outcome: 'SENT',
    ...notes,
  });

export const noAnswer = (on: DateText): CaseEvent =>
  domain.contactAttempted({ on: domain.date(on), id: randomUUID(), ...notes });

export const barrierIdentified = (
  on: DateText,
  barrierId: string = randomUUID(),
  plan = 'Bus pass through support services',
): CaseEvent =>
  domain.barrierIdentified({ on: domain.date(on), id: barrierId, description: 'No car', plan });

export const barrierOvercome = (on: DateText, barrierId: string): CaseEvent =>
  domain.barrierOvercome({ on: domain.date(on), id: barrierId, how: 'Bought a car' });

export const caseTransferred = (
  on: DateText,
  from: Required<Assigned>,
  to: Required<Assigned>,
): CaseEvent =>
  domain.caseTransferred({
    on: domain.date(on),
    from,
    to,
    reason: 'Customer moved',
    policy: domain.MA_POLICY,
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

export const employmentRecorded = (startDate: DateText, followUpDueOn: DateText): CaseEvent => {
  const recorded = domain.employmentRecorded({ start: domain.date(startDate), job: JOB });
  return { ...recorded, data: { ...recorded.data, followUpDueOn: domain.date(followUpDueOn) } };
};

export const caseSuspended = (
  on: DateText,
  reason: 'EMPLOYMENT_ATTAINED' | 'CUSTOMER_WITHDREW' = 'CUSTOMER_WITHDREW',
): CaseEvent =>
  domain.caseSuspended({
    on: domain.date(on),
    reason,
    details: 'Customer asked to stop services',
    by: 'cm-1',
  });

export const suspensionReturned = (on: DateText): CaseEvent =>
  domain.suspensionReturned(domain.date(on), 'Attach the withdrawal letter');

export const caseClosed = (
  on: DateText,
  reason: 'EMPLOYMENT_ATTAINED' | 'CUSTOMER_WITHDREW' = 'CUSTOMER_WITHDREW',
): CaseEvent => domain.caseClosed({ on: domain.date(on), reason, exitDate: null });

export const caseSoftExited = (
  exitDate: DateText,
  dueOn: DateText,
  detectedOn: DateText,
): CaseEvent =>
  domain.caseSoftExited({
    exitDate: domain.date(exitDate),
    dueOn: domain.date(dueOn),
    detectedOn: domain.date(detectedOn),
  });

/** The metadata a case manager's command gives an event, written at today's schema version. */
const metadataOf = (event: CaseEvent, id: string, actorCenter: string): EventMetadataInput => ({
  commandId: id,
  correlationId: id,
  causationId: id,
  actor: { staffId: 'cm-1', role: 'case_manager', careerCenterId: actorCenter },
  schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
});

/** The event as a caller appends it to the store. */
export const toNewEvent = (event: CaseEvent, actorCenter = 'cc-boston'): NewEvent => {
  const id = randomUUID();
  return {
    eventId: id,
    type: event.type,
    data: event.data,
    metadata: metadataOf(event, id, actorCenter),
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
        ...metadataOf(event, eventId, 'cc-boston'),
        recordedAt: new Date(0).toISOString(),
      },
      hash: '',
      previousHash: '',
    };
  }
}
