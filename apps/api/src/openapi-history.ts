import {
  ACTIVITY_TYPES,
  ASSESSMENT_EXEMPTIONS,
  ASSESSMENT_KINDS,
  BARRIER_CATEGORIES,
  CLOSURE_REASONS,
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  CORRECTABLE_ENTITIES,
  ENROLLMENT_OUTCOMES,
  GAP_REASONS,
  GOAL_RESOLUTIONS,
  PROGRAMS,
  TICKLER_KINDS,
  type CaseEventType,
} from '@caseledger/domain';

type Json = Record<string, unknown>;

/**
 * The `data` of each event type (DESIGN.md "Events"; libs/domain case.events.ts),
 * as GET …/history returns it: as stored, so a field an upcaster adds to older
 * schema versions (CaseOpened and CaseTransferred `policy`, the v2 decision
 * fields of CaseClosed and CaseSoftExited) is documented but not required.
 * Keyed by CaseEventType, so a new event type does not compile without its schema.
 */
const date = { type: 'string', format: 'date' };
const text = { type: 'string' };
const id = { type: 'string' };
const bool = { type: 'boolean' };
const strings = { type: 'array', items: text };
/** OpenAPI 3.0 `nullable`; a reference is wrapped (siblings of `$ref` are ignored). */
const nullable = (schema: Json): Json =>
  '$ref' in schema
    ? { type: 'object', allOf: [schema], nullable: true }
    : { ...schema, nullable: true };
const enumOf = (values: readonly string[]): Json => ({ type: 'string', enum: [...values] });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, Json>, required: string[]): Json => ({
  type: 'object',
  required,
  properties,
});

/** Shared parts of event data, named once. */
export const HISTORY_PART_SCHEMAS: Record<string, Json> = {
  HistoryCustomer: object({ id, firstName: text, lastName: text }, ['id', 'firstName', 'lastName']),
  HistoryPolicyTerms: object(
    {
      policyId: text,
      version: { type: 'integer' },
      contactIntervalDays: { type: 'integer' },
      softExitWindowDays: { type: 'integer' },
      followUpPeriodDays: { type: 'integer' },
      followUpMonths: { type: 'integer' },
      followUpEveryDays: { type: 'integer' },
    },
    ['policyId', 'version'],
  ),
  HistoryDecisionPolicy: object(
    {
      localAreaId: id,
      policyId: text,
      version: { type: 'integer' },
      terms: ref('HistoryPolicyTerms'),
    },
    ['localAreaId', 'policyId', 'version', 'terms'],
  ),
  HistoryJob: object(
    {
      title: text,
      employerName: text,
      employerAddress: text,
      employerPhone: text,
      employerContact: text,
      hourlyWage: { type: 'number' },
      hoursPerWeek: { type: 'number' },
      benefits: text,
    },
    ['title', 'employerName', 'hourlyWage', 'hoursPerWeek'],
  ),
  HistoryAssignment: object({ careerCenterId: id, localAreaId: id, caseManagerId: id }, [
    'careerCenterId',
    'localAreaId',
    'caseManagerId',
  ]),
  HistoryContactRef: object({ contactId: id, eventId: nullable(id), occurredOn: date }, [
    'contactId',
    'eventId',
    'occurredOn',
  ]),
  HistoryExitBasis: object(
    {
      basis: enumOf(['LAST_QUALIFYING_CONTACT', 'OPENING']),
      opening: object({ eventId: nullable(id), openedOn: date }, ['eventId', 'openedOn']),
      lastQualifyingContact: nullable(ref('HistoryContactRef')),
      gapsCounted: {
        type: 'array',
        items: object(
          {
            gapId: id,
            eventId: nullable(id),
            startDate: date,
            endDate: date,
            daysCounted: { type: 'integer' },
          },
          ['gapId', 'eventId', 'startDate', 'endDate', 'daysCounted'],
        ),
      },
      notCounted: {
        type: 'array',
        items: object(
          {
            contactId: id,
            eventId: nullable(id),
            occurredOn: date,
            method: enumOf(CONTACT_METHODS),
            reason: enumOf(['NO_ANSWER', 'MESSAGE_LEFT', 'OUTREACH_SENT', 'FOLLOW_UP', 'VOIDED']),
          },
          ['contactId', 'eventId', 'occurredOn', 'method', 'reason'],
        ),
      },
    },
    ['basis', 'opening', 'lastQualifyingContact', 'gapsCounted', 'notCounted'],
  ),
};

const contactFields: Record<string, Json> = {
  contactId: id,
  method: enumOf(CONTACT_METHODS),
  party: enumOf(CONTACT_PARTIES),
  outcome: enumOf(CONTACT_OUTCOMES),
  occurredOn: date,
  progress: text,
  justification: text,
  customerUnavailable: bool,
  providerUnavailable: bool,
  alternateHasSubstantiveKnowledge: bool,
};
const contactRequired = ['contactId', 'method', 'party', 'outcome', 'occurredOn', 'progress'];

export const HISTORY_DATA_SCHEMAS: Readonly<Record<CaseEventType, Json>> = {
  CaseOpened: object(
    {
      caseId: id,
      customer: ref('HistoryCustomer'),
      program: enumOf(PROGRAMS),
      careerCenterId: id,
      localAreaId: id,
      caseManagerId: id,
      openedOn: date,
      policy: ref('HistoryPolicyTerms'),
      duplicateReason: text,
    },
    ['caseId', 'customer', 'program', 'careerCenterId', 'localAreaId', 'caseManagerId', 'openedOn'],
  ),
  ActivityEnrolled: object(
    {
      enrollmentId: id,
      activityType: enumOf(ACTIVITY_TYPES),
      activityName: text,
      providerName: text,
      startDate: date,
      endDate: date,
    },
    ['enrollmentId', 'activityType', 'activityName', 'startDate'],
  ),
  ActivityEnded: object({ enrollmentId: id, endDate: date, outcome: enumOf(ENROLLMENT_OUTCOMES) }, [
    'enrollmentId',
    'endDate',
    'outcome',
  ]),
  ContactRecorded: object(
    {
      ...contactFields,
      qualifying: { type: 'boolean', enum: [true] },
      followUp: bool,
      answersOutreach: strings,
    },
    [...contactRequired, 'qualifying'],
  ),
  ContactAttempted: object(
    {
      ...contactFields,
      qualifying: { type: 'boolean', enum: [false] },
      reason: enumOf(['NO_ANSWER', 'MESSAGE_LEFT', 'OUTREACH_SENT']),
    },
    [...contactRequired, 'qualifying', 'reason'],
  ),
  BarrierIdentified: object(
    {
      barrierId: id,
      category: enumOf(BARRIER_CATEGORIES),
      description: text,
      plan: text,
      identifiedOn: date,
    },
    ['barrierId', 'category', 'description', 'plan', 'identifiedOn'],
  ),
  BarrierOvercome: object({ barrierId: id, how: text, overcomeOn: date }, [
    'barrierId',
    'how',
    'overcomeOn',
  ]),
  PlannedGapScheduled: object(
    { gapId: id, startDate: date, endDate: date, reason: enumOf(GAP_REASONS), note: text },
    ['gapId', 'startDate', 'endDate', 'reason'],
  ),
  GoalSet: object(
    {
      goalId: id,
      statement: text,
      wageRangeDesired: object({ min: { type: 'number' }, max: { type: 'number' } }, [
        'min',
        'max',
      ]),
    },
    ['goalId', 'statement'],
  ),
  GoalResolved: object({ goalId: id, status: enumOf(GOAL_RESOLUTIONS) }, ['goalId', 'status']),
  AssessmentRecorded: object(
    {
      assessmentId: id,
      kind: enumOf(ASSESSMENT_KINDS),
      instrument: text,
      administeredOn: date,
      score: text,
      summary: text,
      exemption: enumOf(ASSESSMENT_EXEMPTIONS),
    },
    ['assessmentId', 'kind', 'administeredOn', 'summary'],
  ),
  EmploymentRecorded: object({ job: ref('HistoryJob'), startDate: date, followUpDueOn: date }, [
    'job',
    'startDate',
    'followUpDueOn',
  ]),
  CaseTransferred: object(
    {
      from: ref('HistoryAssignment'),
      to: ref('HistoryAssignment'),
      reason: text,
      transferredOn: date,
      policy: ref('HistoryPolicyTerms'),
    },
    ['from', 'to', 'reason', 'transferredOn'],
  ),
  CaseSuspended: object(
    {
      reason: enumOf(CLOSURE_REASONS),
      details: text,
      job: ref('HistoryJob'),
      suspendedOn: date,
      suspendedBy: text,
    },
    ['reason', 'details', 'suspendedOn'],
  ),
  SuspensionReturned: object({ requestedInformation: text, returnedOn: date }, [
    'requestedInformation',
    'returnedOn',
  ]),
  CaseClosed: object(
    {
      reason: enumOf(CLOSURE_REASONS),
      closedOn: date,
      note: text,
      exitDate: nullable(date),
      rules: strings,
      policy: nullable(ref('HistoryDecisionPolicy')),
      suspension: nullable(
        object({ eventId: nullable(id), suspendedOn: date, suspendedBy: nullable(text) }, [
          'eventId',
          'suspendedOn',
          'suspendedBy',
        ]),
      ),
      approvedBy: nullable(text),
      softExit: nullable(
        object({ eventId: nullable(id), exitDate: date }, ['eventId', 'exitDate']),
      ),
      employmentVerifiedBy: nullable(ref('HistoryContactRef')),
      exit: nullable(ref('HistoryExitBasis')),
    },
    ['reason', 'closedOn'],
  ),
  CaseSoftExited: object(
    {
      exitDate: date,
      dueOn: date,
      detectedOn: date,
      rules: strings,
      trigger: enumOf(['DEADLINE_PASSED', 'CONTACT_VOIDED']),
      policy: nullable(ref('HistoryDecisionPolicy')),
      exit: nullable(ref('HistoryExitBasis')),
    },
    ['exitDate', 'dueOn', 'detectedOn'],
  ),
  TicklerRaised: object({ kind: enumOf(TICKLER_KINDS), dueOn: date, raisedOn: date }, [
    'kind',
    'dueOn',
    'raisedOn',
  ]),
  FollowUpContactRecorded: object(
    {
      ...contactFields,
      qualifying: { type: 'boolean', enum: [false] },
      followUp: { type: 'boolean', enum: [true] },
      verifiesEmployment: bool,
    },
    [...contactRequired, 'qualifying', 'followUp', 'verifiesEmployment'],
  ),
  PlannedGapEnded: object(
    { gapId: id, endDate: date, plannedEndDate: date, endedOn: date, reason: text },
    ['gapId', 'endDate', 'plannedEndDate', 'endedOn'],
  ),
  ContactVoided: object({ contactId: id, reason: text, voidedOn: date, voidedBy: text }, [
    'contactId',
    'reason',
    'voidedOn',
    'voidedBy',
  ]),
  EntryCorrected: object(
    {
      entity: enumOf(CORRECTABLE_ENTITIES),
      id,
      fields: { type: 'object', additionalProperties: true },
      previous: { type: 'object', additionalProperties: true },
      reason: text,
      correctedOn: date,
      correctedBy: text,
    },
    ['entity', 'id', 'fields', 'previous', 'reason', 'correctedOn', 'correctedBy'],
  ),
  CustomerDetailsCorrected: object(
    {
      firstName: text,
      lastName: text,
      previous: object({ firstName: text, lastName: text }, ['firstName', 'lastName']),
      reason: text,
      correctedOn: date,
      correctedBy: text,
    },
    ['firstName', 'lastName', 'previous', 'reason', 'correctedOn', 'correctedBy'],
  ),
  SoftExitReversed: object(
    {
      reversedExit: object(
        { eventId: nullable(id), exitDate: date, dueOn: date, detectedOn: date },
        ['eventId', 'exitDate', 'dueOn', 'detectedOn'],
      ),
      lateContactId: id,
      lateContactOn: date,
      justification: text,
      reversedOn: date,
      approvedBy: text,
      rules: strings,
      policy: ref('HistoryDecisionPolicy'),
    },
    [
      'reversedExit',
      'lateContactId',
      'lateContactOn',
      'justification',
      'reversedOn',
      'approvedBy',
      'rules',
      'policy',
    ],
  ),
  PersonalDataDisposed: object(
    { caseId: id, customerId: id, disposedOn: date, reason: text, retentionRule: text },
    ['caseId', 'customerId', 'disposedOn', 'reason', 'retentionRule'],
  ),
};
