/**
 * Request examples for every case command (DESIGN.md "HTTP contract"): one
 * case's story, in order, that the API accepts as written (real enums,
 * plausible dates, substantive R4 text). test/e2e/openapi-examples.e2e-spec.ts
 * posts each one from the served document, so an example that stops passing
 * the rules fails the build.
 */
export const PATH_ID_EXAMPLES: Readonly<Record<string, string>> = {
  caseId: '3f0c2a7e-5b1d-4c8e-9a61-2d7f0e4b9c15',
  enrollmentId: 'enrollment-job-club',
  barrierId: 'barrier-transportation',
  goalId: 'goal-cna-employment',
  gapId: 'gap-surgery-recovery',
  contactId: 'contact-2026-01-20',
  customerId: 'customer-100234',
};

const contact = {
  method: 'IN_PERSON',
  party: 'CUSTOMER',
  outcome: 'REACHED',
  progress: 'Went to both job club sessions; applied to three CNA openings this week.',
  justification: 'Still looking for full-time work toward the employment goal; services continue.',
};

const job = {
  title: 'Certified Nursing Assistant',
  employerName: 'Riverbend Care Center',
  employerAddress: '120 River Rd, Springfield, MO 65802',
  employerPhone: '+1-417-555-0142',
  employerContact: 'Dana Ortiz, HR',
  hourlyWage: 17.5,
  hoursPerWeek: 36,
  benefits: 'Health insurance after 60 days',
};

/** By operationId: the request body a client can send as it stands. */
export const REQUEST_EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  openCase: {
    customer: { id: PATH_ID_EXAMPLES.customerId, firstName: 'Maria', lastName: 'Alvarez' },
    program: 'WIOA_ADULT',
    careerCenterId: 'cc-1',
    localAreaId: 'MA-DEFAULT',
    caseManagerId: 'staff-cm-1',
    openedOn: '2026-01-05',
  },
  enrollInActivity: {
    enrollmentId: PATH_ID_EXAMPLES.enrollmentId,
    activityType: 'JOB_SEARCH',
    activityName: 'Healthcare job club',
    providerName: 'Springfield Career Center',
    startDate: '2026-01-05',
    endDate: '2026-06-30',
  },
  recordContact: { contactId: PATH_ID_EXAMPLES.contactId, ...contact, occurredOn: '2026-01-20' },
  identifyBarrier: {
    barrierId: PATH_ID_EXAMPLES.barrierId,
    category: 'TRANSPORTATION',
    description: 'No car and no bus line to the training site',
    plan: 'Monthly bus pass from the support-services fund',
    identifiedOn: '2026-01-06',
  },
  recordAssessment: {
    assessmentId: 'assessment-reading',
    kind: 'READING',
    instrument: 'CASAS GOALS Reading',
    administeredOn: '2026-01-06',
    score: '238',
    summary: 'Reads at the level the CNA course requires.',
  },
  setGoal: {
    goalId: PATH_ID_EXAMPLES.goalId,
    statement: 'Work full time as a Certified Nursing Assistant',
    wageRangeDesired: { min: 16, max: 20 },
  },
  overcomeBarrier: { how: 'Bus pass issued for January to June', overcomeOn: '2026-01-20' },
  schedulePlannedGap: {
    gapId: PATH_ID_EXAMPLES.gapId,
    startDate: '2026-02-02',
    endDate: '2026-02-27',
    reason: 'HEALTH',
    note: 'Knee surgery and recovery',
  },
  endPlannedGap: { endDate: '2026-02-13', reason: 'Recovered sooner than planned' },
  correctEntry: {
    entity: 'ASSESSMENT',
    id: 'assessment-reading',
    fields: { score: '240' },
    reason: 'Score transposed from the paper answer sheet.',
  },
  correctCustomerDetails: {
    firstName: 'María',
    lastName: 'Álvarez',
    reason: 'Name spelled as on her state ID.',
  },
  resolveGoal: { status: 'ACHIEVED' },
  transferCase: {
    toCareerCenterId: 'cc-1',
    toLocalAreaId: 'MA-DEFAULT',
    toCaseManagerId: 'staff-cm-2',
    reason: 'Caseload balancing within the center',
  },
  voidContact: { reason: 'Entered on the wrong customer.' },
  reverseSoftExit: {
    contact: { contactId: 'contact-2026-02-16-late', ...contact, occurredOn: '2026-02-16' },
    justification: 'The paper file shows a visit on that day that was never entered.',
  },
  endEnrollment: { endDate: '2026-04-24', outcome: 'COMPLETED' },
  recordEmployment: { job, startDate: '2026-04-24' },
  suspendCase: {
    reason: 'CUSTOMER_WITHDREW',
    details: 'Moved in with family out of state and asked to stop services.',
  },
  returnSuspension: { requestedInformation: 'Attach her written request to stop services.' },
  approveSuspension: { note: 'Written request on file.' },
};
