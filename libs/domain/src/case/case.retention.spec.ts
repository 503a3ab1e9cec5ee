import {
  admin,
  caseClosed,
  caseManager,
  caseOpened,
  caseSuspended,
  context,
  contactRecorded,
  day,
} from '../testing';
import { decide } from './case.decide';
import type { DisposePersonalData } from './case.commands';
import { retentionElapsed } from './case.retention';
import { PERSONAL_DATA_DISPOSED } from './case.vocabulary';
import { foldCase } from './case.state';

const dispose = (retentionDays = 30): DisposePersonalData => ({
  type: 'DisposePersonalData',
  data: {
    customerId: 'cust-1',
    reason: 'retention over',
    retentionRule: 'schedule 3y',
    retentionDays,
  },
});
const closed = foldCase([
  caseOpened({ on: day(0) }),
  contactRecorded({ on: day(5) }),
  caseSuspended({ on: day(10) }),
  caseClosed({ on: day(12) }),
]);

describe('records retention: DisposePersonalData', () => {
  it('RETENTION: closedOn + days ≤ today — the day itself qualifies, the day before does not; 0 days: the closure day', () => {
    expect(retentionElapsed(day(12), 30, day(42))).toBe(true);
    expect(retentionElapsed(day(12), 30, day(41))).toBe(false);
    expect(retentionElapsed(day(12), 0, day(12))).toBe(true);
  });

  it('RETENTION: an admin disposes of a CLOSED case past retention; the event names case, customer, day, reason and rule', () => {
    const events = decide(dispose(), closed, context({ actor: admin(), today: day(42) }));
    expect(events).toEqual([
      {
        type: 'PersonalDataDisposed',
        data: {
          caseId: closed.caseId,
          customerId: 'cust-1',
          disposedOn: day(42),
          reason: 'retention over',
          retentionRule: 'schedule 3y',
        },
      },
    ]);
    const after = foldCase(events, closed);
    expect(after.customer).toEqual({
      id: PERSONAL_DATA_DISPOSED,
      firstName: PERSONAL_DATA_DISPOSED,
      lastName: PERSONAL_DATA_DISPOSED,
    });
    expect(after.contacts.map((c) => c.progress)).toEqual([PERSONAL_DATA_DISPOSED]);
    // Status, dates and counts stay.
    expect({
      ...after,
      customer: null,
      contacts: [],
      suspension: null,
      personalDataDisposedOn: undefined,
    }).toEqual({
      ...closed,
      customer: null,
      contacts: [],
      suspension: null,
      personalDataDisposedOn: undefined,
    });
    // Idempotent: disposed once, a second disposal decides nothing.
    expect(decide(dispose(), after, context({ actor: admin(), today: day(50) }))).toEqual([]);
  });

  it('RETENTION: refused for a case manager, a case not CLOSED, and a closure too recent', () => {
    const refusal = (run: () => unknown): unknown => {
      try {
        run();
      } catch (error) {
        return error;
      }
      throw new Error('not refused');
    };
    expect(
      refusal(() => decide(dispose(), closed, context({ actor: caseManager(), today: day(42) }))),
    ).toMatchObject({ ruleId: 'RETENTION', kind: 'forbidden' });
    const open = foldCase([caseOpened({ on: day(0) })]);
    expect(
      refusal(() => decide(dispose(), open, context({ actor: admin(), today: day(42) }))),
    ).toMatchObject({ ruleId: 'RETENTION', kind: 'conflict' });
    expect(
      refusal(() => decide(dispose(), closed, context({ actor: admin(), today: day(41) }))),
    ).toMatchObject({ ruleId: 'RETENTION', kind: 'conflict' });
  });
});
