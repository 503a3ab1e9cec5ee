import { PERSONAL_DATA_DISPOSED, type CaseEvent } from '@caseledger/domain';
import { date } from '@caseledger/domain/testing';
import {
  barrierIdentified,
  caseClosed,
  caseOpened,
  caseSuspended,
  contactRecorded,
} from '../testing/case-events';
import { caseloadSpec } from '../testing/caseload.specification';
import type { CaseloadRow } from './caseload.row';

const A = 'a1b2c3d4-0000-4000-8000-0000000000d1';
const disposed = (caseId: string): CaseEvent => ({
  type: 'PersonalDataDisposed',
  data: {
    caseId,
    customerId: `cust-${caseId}`,
    disposedOn: date('2028-01-10'),
    reason: 'retention period over',
    retentionRule: 'WIOA records schedule 3y',
  },
});
const history = [
  { caseId: A, event: caseOpened(A, '2024-01-10') },
  { caseId: A, event: contactRecorded('2024-02-01') },
  { caseId: A, event: barrierIdentified('2024-02-01') },
  { caseId: A, event: caseSuspended('2024-03-01') },
  { caseId: A, event: caseClosed('2024-03-05') },
];
const withoutPersonal = (row: CaseloadRow | null | undefined) => {
  const { customerId, customerName, ...rest } = row ?? ({} as CaseloadRow);
  void customerId;
  void customerName;
  return rest;
};

describe('caseload projection and records retention (PersonalDataDisposed)', () => {
  it('PersonalDataDisposed blanks the name and customer id; status, dates, reasons and counts stay identical', () => {
    const before = caseloadSpec()
      .given(...history)
      .when()
      .rows()
      .get(A);
    expect(before?.customerName).toBe('Ada Lovelace');
    const after = caseloadSpec()
      .given(...history)
      .when({ caseId: A, event: disposed(A) })
      .rows()
      .get(A);
    expect(after).toMatchObject({
      customerName: PERSONAL_DATA_DISPOSED,
      customerId: PERSONAL_DATA_DISPOSED,
      status: 'CLOSED',
      closedOn: '2024-03-05',
      closureReason: 'CUSTOMER_WITHDREW',
    });
    expect(withoutPersonal(after)).toEqual(withoutPersonal(before));
  });

  it('replay: the stored PersonalDataDisposed applied again changes nothing', () => {
    const spec = caseloadSpec().given(...history, { caseId: A, event: disposed(A) });
    const recorded = spec.recorded();
    spec.when(recorded[recorded.length - 1]).thenNotUpdated();
  });
});
