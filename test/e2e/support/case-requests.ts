import { addDays, businessDateAt, type BusinessDate } from '@caseledger/domain';
import { randomUUID } from 'node:crypto';

/** Today in the test area's zone (the default policy's zone), and days around it. */
// R2 v2: cases open only in a configured area; MO-DEFAULT keeps America/Chicago.
export const TEST_AREA = 'MO-DEFAULT';
export const today = (): BusinessDate => businessDateAt(new Date(), 'America/Chicago');
export const daysAgo = (n: number): BusinessDate => addDays(today(), -n);

export const openCaseBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  caseId: randomUUID(),
  customer: { id: `cust-${randomUUID().slice(0, 8)}`, firstName: 'Ada', lastName: 'Lovelace' },
  program: 'WIOA_ADULT',
  careerCenterId: 'cc-1',
  localAreaId: TEST_AREA,
  caseManagerId: 'staff-cm-1',
  openedOn: daysAgo(30),
  ...overrides,
});

export const enrollmentBody = (
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  activityType: 'JOB_SEARCH',
  activityName: 'Job club',
  startDate: daysAgo(30),
  ...overrides,
});

export const contactBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  method: 'IN_PERSON',
  party: 'CUSTOMER',
  outcome: 'REACHED',
  occurredOn: daysAgo(1),
  progress: 'Attended three job club sessions and applied to four employers.',
  justification: 'Needs continued coaching on interviews before the job fair.',
  ...overrides,
});

export const jobBody = (): Record<string, unknown> => ({
  title: 'Warehouse associate',
  employerName: 'Acme Logistics',
  employerAddress: '1 Dock St, Springfield',
  employerPhone: '555-0100',
  employerContact: 'Pat Doe',
  hourlyWage: 18.5,
  hoursPerWeek: 40,
  benefits: 'Health insurance',
});
