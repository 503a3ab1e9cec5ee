import { caseloadRowOf } from './caseload.row';
import { projectCaseloadBatch, type CaseloadEntry } from './caseload.projection';
import {
  FakePositions,
  barrierIdentified,
  barrierOvercome,
  caseClosed,
  caseOpened,
  caseSoftExited,
  caseSuspended,
  caseTransferred,
  contactRecorded,
  employmentRecorded,
  noAnswer,
  outreachSent,
  suspensionReturned,
} from '../testing/case-events';
import { caseloadSpec } from '../testing/caseload.specification';

const A = 'a1b2c3d4-0000-4000-8000-000000000001';
const B = 'a1b2c3d4-0000-4000-8000-000000000002';

describe('caseload projection', () => {
  it('R9/R8: an opened case is listed with the area contact standard and the 90-day soft-exit date', () => {
    caseloadSpec()
      .when({ caseId: A, event: caseOpened(A, '2024-01-10') })
      .then({
        [A]: {
          caseId: A,
          customerName: 'Ada Lovelace',
          status: 'ACTIVE',
          caseManagerId: 'cm-1',
          contactDueOn: '2024-03-10',
          softExitDueOn: '2024-04-09',
          nextDueOn: '2024-03-10',
          openBarriers: 0,
        },
      });
  });

  it('R8: a qualifying contact restarts both clocks from its date', () => {
    caseloadSpec()
      .given({ caseId: A, event: caseOpened(A, '2024-01-10') })
      .when({ caseId: A, event: contactRecorded('2024-02-01') })
      .then({
        [A]: {
          lastQualifyingContactOn: '2024-02-01',
          contactDueOn: '2024-04-01',
          softExitDueOn: '2024-05-01',
        },
      });
  });

  it('R8 replay: the same stored contact applied again changes nothing', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: contactRecorded('2024-02-01') },
    );
    spec.when(...spec.recorded()).thenNotUpdated();
  });

  it('R5: a telephone call with no answer moves no deadline', () => {
    caseloadSpec()
      .given({ caseId: A, event: caseOpened(A, '2024-01-10') })
      .when({ caseId: A, event: noAnswer('2024-02-01') })
      .then({ [A]: { lastQualifyingContactOn: null, contactDueOn: '2024-03-10' } });
  });

  it('R7: a letter sent awaits the customer response; the response clears it and restarts the clocks', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: outreachSent('2024-02-01', 'letter-1') },
    );
    spec.when().then({ [A]: { outreachAwaitingResponse: 1, contactDueOn: '2024-03-10' } });
    spec
      .when({ caseId: A, event: contactRecorded('2024-02-10', { answersOutreach: ['letter-1'] }) })
      .then({ [A]: { outreachAwaitingResponse: 0, contactDueOn: '2024-04-10' } });
  });

  it('R7 replay: re-applying the outreach changes nothing', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: outreachSent('2024-02-01', 'letter-1') },
    );
    spec.when(...spec.recorded().slice(1)).thenNotUpdated();
  });

  it('R11: open barriers count down when one is overcome; a blank plan is listed', () => {
    caseloadSpec()
      .given(
        { caseId: A, event: caseOpened(A, '2024-01-10') },
        { caseId: A, event: barrierIdentified('2024-01-11', 'bar-1') },
        { caseId: A, event: barrierIdentified('2024-01-12', 'bar-2', '  ') },
      )
      .when({ caseId: A, event: barrierOvercome('2024-01-20', 'bar-1') })
      .then({ [A]: { openBarriers: 1, barriersWithoutPlan: ['bar-2'] } });
  });

  it('R12: a transfer moves the case to the receiving case manager and center', () => {
    const from = { careerCenterId: 'cc-boston', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-1' };
    const to = { careerCenterId: 'cc-worcester', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-2' };
    caseloadSpec()
      .given({ caseId: A, event: caseOpened(A, '2024-01-10') })
      .when({ caseId: A, event: caseTransferred('2024-01-20', from, to) })
      .then({
        [A]: { caseManagerId: 'cm-2', careerCenterId: 'cc-worcester', contactDueOn: '2024-03-10' },
      });
  });

  it('R12 replay: the transfer applied again changes nothing', () => {
    const from = { careerCenterId: 'cc-boston', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-1' };
    const to = { careerCenterId: 'cc-worcester', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-2' };
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: caseTransferred('2024-01-20', from, to) },
    );
    spec.when(spec.recorded()[1]).thenNotUpdated();
  });

  it('R16 v2: a pending suspension shows beside the status; the clocks keep running', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: caseSuspended('2024-02-01') },
    );
    spec.when().then({
      [A]: {
        status: 'ACTIVE',
        suspendedSince: '2024-02-01',
        contactDueOn: '2024-03-10',
        softExitDueOn: '2024-04-09',
      },
    });
    spec
      .when({ caseId: A, event: suspensionReturned('2024-02-05') })
      .then({ [A]: { status: 'ACTIVE', suspendedSince: null, contactDueOn: '2024-03-10' } });
  });

  it('R19: an employment follow-up is due until a follow-up contact verifies it', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: A, event: employmentRecorded('2024-02-01', '2024-03-02') },
    );
    spec.when().then({ [A]: { followUpDueOn: '2024-03-02', nextDueOn: '2024-03-02' } });
    spec
      .when({ caseId: A, event: contactRecorded('2024-03-05', { followUp: true }) })
      // R20: the next twelve-month follow-up contact is owed 90 days later.
      .then({ [A]: { followUpDueOn: '2024-06-03', followUpVerifiedOn: '2024-03-05' } });
  });

  it('R17: a soft-exited or closed case has no running deadline', () => {
    caseloadSpec()
      .given(
        { caseId: A, event: caseOpened(A, '2024-01-10') },
        { caseId: B, event: caseOpened(B, '2024-01-10') },
      )
      .when(
        { caseId: A, event: caseSoftExited('2024-01-10', '2024-04-09', '2024-04-10') },
        { caseId: B, event: caseClosed('2024-02-01') },
      )
      .then({
        [A]: { status: 'SOFT_EXITED', exitDate: '2024-01-10', softExitDueOn: null },
        // R14 v2: the exit date is the last day of service (here the opening), not the approval.
        [B]: {
          status: 'CLOSED',
          exitDate: '2024-01-10',
          closedOn: '2024-02-01',
          closureReason: 'CUSTOMER_WITHDREW',
        },
      });
  });

  it('exactly once: a whole history replayed as one batch changes nothing', () => {
    const spec = caseloadSpec().given(
      { caseId: A, event: caseOpened(A, '2024-01-10') },
      { caseId: B, event: caseOpened(B, '2024-01-11') },
      { caseId: A, event: contactRecorded('2024-02-01') },
      { caseId: B, event: barrierIdentified('2024-02-02') },
    );
    spec.when(...spec.recorded()).thenNotUpdated();
  });

  it('batches: one batch of many events gives the rows that one event per batch gives', () => {
    const positions = new FakePositions();
    const events = [
      positions.record(A, caseOpened(A, '2024-01-10')),
      positions.record(B, caseOpened(B, '2024-01-11')),
      positions.record(A, contactRecorded('2024-02-01')),
      positions.record(B, outreachSent('2024-02-02', 'l-1')),
      positions.record(A, barrierIdentified('2024-02-03')),
      positions.record(B, contactRecorded('2024-02-04', { answersOutreach: ['l-1'] })),
    ];
    const oneByOne = new Map<string, CaseloadEntry>();
    for (const e of events)
      for (const [id, entry] of projectCaseloadBatch(oneByOne, [e])) oneByOne.set(id, entry);
    const together = projectCaseloadBatch(new Map(), events);
    const rows = (m: Map<string, CaseloadEntry>) =>
      [...m].map(([id, e]) => [id, caseloadRowOf(e.state), e.position]);
    expect(rows(together)).toEqual(rows(oneByOne));
  });

  it('only case streams feed the caseload', () => {
    const positions = new FakePositions();
    const other = {
      ...positions.record(A, caseOpened(A, '2024-01-10')),
      streamId: `idempotency-${A}`,
    };
    expect(projectCaseloadBatch(new Map(), [other]).size).toBe(0);
  });
});
