import { addDays, type BusinessDate } from '../shared/business-date';
import type { CaseCommand } from './case.commands';
import type { CaseEvent, CaseSoftExited } from './case.events';
import { caseDecider } from './case.decide';
import { foldCase } from './case.state';
import { upcast } from './case.upcasters';
import {
  MA_POLICY,
  MO_POLICY,
  COMPLETE_JOB,
  approveSuspension,
  assessed,
  caseClosed,
  caseManager,
  caseOpened,
  caseSoftExited,
  caseSuspended,
  contactAttempted,
  contactRecorded,
  contactVoided,
  date,
  day,
  employmentRecorded,
  endEnrollment,
  endPlannedGap,
  enrolled,
  enrollInActivity,
  followUpRecorded,
  gapScheduled,
  goalSet,
  identifyBarrier,
  openCase,
  overcomeBarrier,
  raiseTickler,
  recordAssessment,
  recordContact,
  recordEmployment,
  resolveGoal,
  returnSuspension,
  schedulePlannedGap,
  setGoal,
  softExitCase,
  supervisor,
  suspendCase,
  systemActor,
  barrierIdentified,
  transferCase,
  voidContact,
  ACTIVE_CASE,
  AS_SYSTEM,
  caseSpec as spec,
} from '../testing';

/**
 * The rules marked (v2) in DESIGN.md, each with an accepted and a refused case.
 * Program exit (R8, R17: automatic, dated at the last day of service) and case
 * closure (R14–R16: approved, with a reason) are kept apart.
 */
const ma = { policy: MA_POLICY };
const system = AS_SYSTEM;
const active = [...ACTIVE_CASE];
const exited = (exitDate = day(10), dueOn = day(100)): CaseEvent[] => [
  ...active,
  contactRecorded({ id: 'c-last', on: exitDate }),
  caseSoftExited({ exitDate, dueOn, detectedOn: addOne(dueOn) }),
];
const addOne = (on: BusinessDate): BusinessDate => addDays(on, 1);
const exitedMA: CaseEvent[] = [
  caseOpened({ on: day(0), policy: MA_POLICY }),
  enrolled({ on: day(0) }),
  contactRecorded({ id: 'c-last', on: day(10) }),
  caseSoftExited({ exitDate: day(10), dueOn: day(100), detectedOn: day(101) }),
];

describe('R2 v2: the local area must be a configured one', () => {
  it('R2: a configured area is accepted', () =>
    spec
      .given([])
      .when(openCase({ on: day(0), localAreaId: 'MA-DEFAULT' }), ma)
      .then([caseOpened({ on: day(0), policy: MA_POLICY })]));

  it('R2: an unknown localAreaId is refused with 422 R2, never a default policy', () =>
    spec
      .given([])
      .when(openCase({ on: day(0), localAreaId: 'MA-DEFALT' }))
      .thenThrows('R2', 'rule'));
});

describe('R3 v2: a recorded contact never loses its justification', () => {
  const withContact = [...active, contactRecorded({ on: day(30) })];

  it('R3: ending the enrollment after the last contact is accepted', () =>
    spec
      .given(withContact)
      .when(endEnrollment({ on: day(31) }))
      .then([
        {
          type: 'ActivityEnded',
          data: { enrollmentId: 'enr-1', endDate: day(31), outcome: 'COMPLETED' },
        },
      ]));

  it('R3: ending the only enrollment back-dated before a recorded contact is refused', () =>
    spec
      .given(withContact)
      .when(endEnrollment({ on: day(20) }), { today: day(40) })
      .thenThrows('R3', 'rule'));

  it('R3: another enrollment that covers the contact keeps it justified', () =>
    spec
      .given([...withContact, enrolled({ id: 'enr-2', on: day(15) })])
      .when(endEnrollment({ on: day(20) }), { today: day(40) })
      .then([
        {
          type: 'ActivityEnded',
          data: { enrollmentId: 'enr-1', endDate: day(20), outcome: 'COMPLETED' },
        },
      ]));
});

describe('R4 v2: substantive notes for contacts that reached someone, a short note for attempts', () => {
  it('R4: an unanswered call with a short note is accepted', () =>
    spec
      .given(active)
      .when(
        recordContact({
          on: day(5),
          method: 'TELEPHONE',
          outcome: 'NO_ANSWER',
          progress: 'No answer.',
          justification: '',
        }),
      )
      .then([contactAttempted({ on: day(5), progress: 'No answer.', justification: '' })]));

  it('R4: an attempt with no note at all is refused', () =>
    spec
      .given(active)
      .when(
        recordContact({
          on: day(5),
          method: 'TELEPHONE',
          outcome: 'NO_ANSWER',
          progress: ' ',
          justification: '',
        }),
      )
      .thenThrows('R4', 'rule'));

  it('R4: a contact that reached the customer still needs substantive notes', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5), progress: 'Fine.' }))
      .thenThrows('R4', 'rule'));
});

describe('R6 v2: who a contact may be with depends on its method', () => {
  it('R6: an in-person contact with the provider counts, customer available or not', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), party: 'PROVIDER' }))
      .then([contactRecorded({ on: day(9), party: 'PROVIDER' })]));

  it('R6: an in-person contact with an alternate counts (01-02 §2.1 lists all three)', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), party: 'ALTERNATE' }))
      .then([contactRecorded({ on: day(9), party: 'ALTERNATE' })]));

  it('R6: a call that reached the provider while the customer was available is refused', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), method: 'TELEPHONE', party: 'PROVIDER' }))
      .thenThrows('R6', 'rule'));

  it('R6: an unanswered call to the provider is an attempt, whoever was called', () =>
    spec
      .given(active)
      .when(
        recordContact({ on: day(9), method: 'TELEPHONE', outcome: 'NO_ANSWER', party: 'PROVIDER' }),
      )
      .then([contactAttempted({ on: day(9), party: 'PROVIDER' })]));

  it('R6: a letter is outreach to the customer, not to the provider', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), method: 'LETTER', outcome: 'SENT', party: 'PROVIDER' }))
      .thenThrows('R6', 'rule'));
});

describe('R8 v2: once the deadline has passed only the soft exit is accepted', () => {
  const commands: Array<[string, CaseCommand]> = [
    ['a contact', recordContact({ id: 'late', on: day(95) })],
    ['an enrollment', enrollInActivity({ id: 'enr-late', on: day(95) })],
    ['a gap', schedulePlannedGap({ id: 'g-late', from: day(95), to: day(99) })],
    ['a suspension', suspendCase({ reason: 'CUSTOMER_WITHDREW' })],
    ['a transfer', transferCase()],
    ['a barrier', identifyBarrier({ on: day(95) })],
    ['a goal', setGoal()],
    ['employment', recordEmployment({ start: day(95) })],
  ];

  it.each(commands)('R8: %s past the deadline is refused', (_what, command) =>
    spec
      .given(active)
      .when(command, { today: day(95), actor: supervisor() })
      .thenThrows('R8', 'rule'),
  );

  it('R8: an approval past the deadline is refused (it would pre-empt the soft exit)', () =>
    spec
      .given([...active, caseSuspended({ on: day(50), reason: 'CUSTOMER_WITHDREW' })])
      .when(approveSuspension(), { today: day(95), actor: supervisor() })
      .thenThrows('R8', 'rule'));

  it('R8: the soft exit itself is accepted, dated at the last day of service', () => {
    const state = spec
      .given(active)
      .when(softExitCase(), { today: day(95), ...system })
      .thenFold([
        {
          type: 'CaseSoftExited',
          data: expect.objectContaining({
            exitDate: day(0),
            dueOn: day(90),
            detectedOn: day(95),
          }) as never,
        },
      ]);
    expect(state.status).toBe('SOFT_EXITED');
  });

  it('R8: on the deadline itself a contact is still on time', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(90) }), { today: day(90) })
      .then([contactRecorded({ on: day(90) })]));
});

describe('R10 v2: a gap is planned, bounded and can end early', () => {
  it('R10: a gap scheduled within the data-entry allowance is accepted', () =>
    spec
      .given(active)
      .when(schedulePlannedGap({ from: day(20), to: day(40) }), { today: day(27) })
      .then([gapScheduled({ from: day(20), to: day(40) })]));

  it('R10: on day 89 a gap from day 1 to day 60 is refused (not planned)', () =>
    spec
      .given(active)
      .when(schedulePlannedGap({ from: day(1), to: day(60) }), { today: day(89) })
      .thenThrows('R10', 'rule'));

  it('R10: a gap longer than the maximum is refused', () =>
    spec
      .given(active)
      .when(schedulePlannedGap({ from: day(20), to: day(200) }), { today: day(20) })
      .thenThrows('R10', 'rule'));

  it('R10: a gap ends early: its end moves earlier and the deadline with it', () => {
    const state = spec
      .given([...active, gapScheduled({ from: day(20), to: day(49) })])
      .when(endPlannedGap('gap-1', day(30)), { today: day(30) })
      .thenFold([
        {
          type: 'PlannedGapEnded',
          data: { gapId: 'gap-1', endDate: day(30), plannedEndDate: day(49), endedOn: day(30) },
        },
      ]);
    expect(state.softExitDueOn).toBe(day(101));
  });

  it('R10: a gap never ends later than planned, nor before today', () => {
    const given = spec.given([...active, gapScheduled({ from: day(20), to: day(49) })]);
    given.when(endPlannedGap('gap-1', day(60)), { today: day(30) }).thenThrows('R10', 'rule');
    given.when(endPlannedGap('gap-1', day(25)), { today: day(30) }).thenThrows('R10', 'rule');
  });
});

describe('R14 v2: closedOn and the program exit date are recorded apart', () => {
  it('R14: a closure while active records closedOn and the last qualifying contact as exit date', () => {
    const state = spec
      .given([
        ...active,
        contactRecorded({ id: 'c-30', on: day(30) }),
        caseSuspended({ on: day(40), reason: 'MOVED_OUT_OF_AREA' }),
      ])
      .when(approveSuspension(), { today: day(45), actor: supervisor() })
      .thenFold([
        {
          type: 'CaseClosed',
          data: expect.objectContaining({
            reason: 'MOVED_OUT_OF_AREA',
            closedOn: day(45),
            exitDate: day(30),
            rules: ['R14', 'R15', 'R16'],
            approvedBy: 'staff-sup-1',
            suspension: { eventId: null, suspendedOn: day(40), suspendedBy: 'staff-cm-1' },
          }) as never,
        },
      ]);
    expect(state).toMatchObject({ status: 'CLOSED', exitDate: day(30), closedOn: day(45) });
  });

  it('R14: a closure after a soft exit keeps the program exit date', () => {
    const state = spec
      .given([...exited(), caseSuspended({ on: day(120), reason: 'NO_CONTACT_90_DAYS' })])
      .when(approveSuspension(), { today: day(130), actor: supervisor() })
      .thenFold([
        {
          type: 'CaseClosed',
          data: expect.objectContaining({
            exitDate: day(10),
            closedOn: day(130),
            softExit: { eventId: null, exitDate: day(10) },
          }) as never,
        },
      ]);
    expect(state).toMatchObject({ exitDate: day(10), closedOn: day(130) });
  });

  it('R14: NO_CONTACT_90_DAYS during an approved gap is refused (only once soft-exited)', () =>
    spec
      .given([...active, gapScheduled({ from: day(80), to: day(120) })])
      .when(suspendCase({ reason: 'NO_CONTACT_90_DAYS' }), { today: day(100) })
      .thenThrows('R14', 'rule'));

  it('R14: a v1 closure (exit date = approval day) is read with the program exit date', () => {
    const v1Closed = upcast({
      type: 'CaseClosed',
      schemaVersion: 1,
      data: { reason: 'CUSTOMER_WITHDREW', closedOn: day(60) },
    });
    const state = foldCase([
      ...active,
      contactRecorded({ on: day(20) }),
      caseSuspended({ on: day(50), reason: 'CUSTOMER_WITHDREW' }),
      v1Closed,
    ]);
    expect(state).toMatchObject({ status: 'CLOSED', exitDate: day(20), closedOn: day(60) });
  });
});

describe('R16 v2: a pending request, reviewed by someone else', () => {
  const suspended = [...active, caseSuspended({ on: day(20), reason: 'CUSTOMER_WITHDREW' })];

  it('R16: while a suspension waits, a real contact is recorded and counts', () => {
    const state = spec
      .given(suspended)
      .when(recordContact({ on: day(22) }), { today: day(25) })
      .thenFold([contactRecorded({ on: day(22) })]);
    expect(state.softExitDueOn).toBe(day(112));
    expect(state.suspension).not.toBeNull();
  });

  it('R16: the supervisor who suspended may not approve the same suspension', () =>
    spec
      .given([...active, caseSuspended({ on: day(20), by: 'staff-sup-1' })])
      .when(approveSuspension(), { today: day(25), actor: supervisor() })
      .thenThrows('R16', 'rule'));

  it('R16: nor return it', () =>
    spec
      .given([...active, caseSuspended({ on: day(20), by: 'staff-sup-1' })])
      .when(returnSuspension(), { today: day(25), actor: supervisor() })
      .thenThrows('R16', 'rule'));

  it('R16: a soft exit that falls due meanwhile happens; the request is approved afterwards', () => {
    const soft = spec
      .given(suspended)
      .when(softExitCase(), { today: day(91), ...system })
      .thenFold([
        {
          type: 'CaseSoftExited',
          data: expect.objectContaining({ exitDate: day(0) }) as never,
        },
      ]);
    expect(soft.suspension?.reason).toBe('CUSTOMER_WITHDREW');
    const events = caseDecider.decide(approveSuspension(), soft, {
      ...contextFor(day(92)),
      actor: supervisor(),
    });
    expect(events[0]).toMatchObject({
      type: 'CaseClosed',
      data: { exitDate: day(0), closedOn: day(92) },
    });
  });
});

function contextFor(today: BusinessDate) {
  return {
    policy: MO_POLICY,
    policyOf: (id: string) =>
      id === 'MA-DEFAULT' ? MA_POLICY : id === 'MO-DEFAULT' ? MO_POLICY : undefined,
    today,
    actor: caseManager(),
  };
}

describe('R17 v2: a soft-exited case stays open for follow-up and closure', () => {
  it('R17: follow-up contacts, employment, barrier outcomes and the closure are accepted', () => {
    const given = spec.given([...exited(), barrierIdentified({ on: day(5) })]);
    given
      .when(recordContact({ id: 'fu-1', on: day(120), followUp: true }), { today: day(120) })
      .then([followUpRecorded({ id: 'fu-1', on: day(120) })]);
    given
      .when(recordEmployment({ start: day(115) }), { today: day(120) })
      .then([employmentRecorded({ start: day(115) })]);
    given.when(overcomeBarrier({ on: day(120) }), { today: day(120) }).then([
      {
        type: 'BarrierOvercome',
        data: { barrierId: 'barrier-1', how: 'Monthly bus pass issued.', overcomeOn: day(120) },
      },
    ]);
    given
      .when(suspendCase({ reason: 'CUSTOMER_WITHDREW' }), { today: day(120) })
      .then([caseSuspended({ on: day(120), reason: 'CUSTOMER_WITHDREW' })]);
  });

  it('R17: qualifying contacts, enrollments, gaps, goals, assessments and transfers are refused', () => {
    const given = spec.given(exited());
    const refused: CaseCommand[] = [
      recordContact({ id: 'late', on: day(120) }),
      enrollInActivity({ id: 'enr-2', on: day(120) }),
      schedulePlannedGap({ from: day(120), to: day(130) }),
      setGoal(),
      recordAssessment({ on: day(120) }),
      identifyBarrier({ id: 'b-2', on: day(120) }),
    ];
    for (const command of refused)
      given.when(command, { today: day(120) }).thenThrows('R17', 'rule');
    given.when(transferCase(), { today: day(120), actor: supervisor() }).thenThrows('R17', 'rule');
  });

  it('R17: a pending goal can still be resolved, so the case can be closed (R15)', () =>
    spec
      .given([
        ...active,
        goalSet(),
        contactRecorded({ id: 'c-last', on: day(10) }),
        caseSoftExited({ exitDate: day(10), dueOn: day(100), detectedOn: day(101) }),
      ])
      .when(resolveGoal({ status: 'NOT_ACHIEVED' }), { today: day(110) })
      .then([{ type: 'GoalResolved', data: { goalId: 'goal-1', status: 'NOT_ACHIEVED' } }]));

  it('R17: a closed case accepts nothing', () =>
    spec
      .given([
        ...exited(),
        caseSuspended({ on: day(120) }),
        caseClosed({ on: day(125), exitDate: day(10) }),
      ])
      .when(recordContact({ id: 'fu', on: day(126), followUp: true }), { today: day(126) })
      .thenThrows('R17', 'rule'));
});

describe('R18 v2: reading and math scores, or the exemption on one of them', () => {
  const training = enrollInActivity({ id: 'enr-train', activityType: 'TRAINING', on: day(5) });
  const scored = (kind: 'READING' | 'MATH', score?: string): CaseEvent => ({
    ...assessed({ kind }),
    data: { ...assessed({ kind }).data, ...(score !== undefined && { score }) },
  });

  it('R18: READING and MATH each with a score are accepted', () =>
    spec
      .given([...active, scored('READING', '9.1'), scored('MATH', '8.0')])
      .when(training)
      .then([enrolled({ id: 'enr-train', activityType: 'TRAINING', on: day(5) })]));

  it('R18: READING and MATH records without a score are refused', () =>
    spec
      .given([...active, scored('READING'), scored('MATH')])
      .when(training)
      .thenThrows('R18', 'rule'));

  it('R18: the post-secondary exemption on an INTERESTS assessment exempts from nothing', () =>
    spec
      .given([...active, assessed({ kind: 'INTERESTS', exemption: 'POST_SECONDARY_EDUCATION' })])
      .when(training)
      .thenThrows('R18', 'rule'));
});

describe('R19 v2: follow-up contacts need no enrollment and never qualify', () => {
  const employedAfterTraining = [
    ...active,
    contactRecorded({ on: day(30) }),
    {
      type: 'ActivityEnded',
      data: { enrollmentId: 'enr-1', endDate: day(35), outcome: 'COMPLETED' },
    } as CaseEvent,
    employmentRecorded({ start: day(40) }),
  ];

  it('R19: after training ends and a job starts, the follow-up contact is accepted and verifies', () => {
    const state = spec
      .given(employedAfterTraining)
      .when(recordContact({ id: 'fu', on: day(72), followUp: true }), { today: day(72) })
      .thenFold([followUpRecorded({ id: 'fu', on: day(72), verifiesEmployment: true })]);
    expect(state.employment?.verifiedOn).toBe(day(72));
    // It never qualifies: the soft-exit clock and the last contact stay where they were.
    expect(state.lastQualifyingContactOn).toBe(day(30));
    expect(state.softExitDueOn).toBe(day(120));
  });

  it('R19: a follow-up with neither employment nor exit recorded is refused', () =>
    spec
      .given(active)
      .when(recordContact({ id: 'fu', on: day(20), followUp: true }))
      .thenThrows('R19', 'rule'));

  it('R19: re-recording employment with the same employer keeps the verification', () => {
    const verified = [
      ...employedAfterTraining,
      followUpRecorded({ id: 'fu', on: day(72), verifiesEmployment: true }),
    ];
    const state = spec
      .given(verified)
      .when(recordEmployment({ start: day(40), job: { ...COMPLETE_JOB, hourlyWage: 23 } }), {
        today: day(80),
      })
      .thenFold([employmentRecorded({ start: day(40), job: { ...COMPLETE_JOB, hourlyWage: 23 } })]);
    expect(state.employment?.verifiedOn).toBe(day(72));
  });

  it('R19: a new employer needs a new verification', () => {
    const verified = [
      ...employedAfterTraining,
      followUpRecorded({ id: 'fu', on: day(72), verifiesEmployment: true }),
    ];
    const state = spec
      .given(verified)
      .when(
        recordEmployment({
          start: day(78),
          job: { ...COMPLETE_JOB, employerName: 'Joplin Steel' },
        }),
        { today: day(80) },
      )
      .thenFold([
        employmentRecorded({
          start: day(78),
          job: { ...COMPLETE_JOB, employerName: 'Joplin Steel' },
        }),
      ]);
    expect(state.employment?.verifiedOn).toBeUndefined();
  });
});

describe('R20: follow-up for twelve months', () => {
  it('R20: a youth is followed up every 90 days from the program exit, for twelve months', () => {
    const youth: CaseEvent[] = [
      caseOpened({ on: day(0), program: 'WIOA_YOUTH' }),
      enrolled({ on: day(0) }),
      contactRecorded({ on: day(10) }),
      caseSoftExited({ exitDate: day(10), dueOn: day(100), detectedOn: day(101) }),
    ];
    const state = foldCase(youth);
    expect(state.followUp).toEqual({ from: day(10), until: '2026-01-16', nextDueOn: day(100) });
    expect(state.followUpDueOn).toBe(day(100));
    spec
      .given(youth)
      .when(raiseTickler('FOLLOW_UP_DUE', day(100)), { today: day(101), ...system })
      .then([
        {
          type: 'TicklerRaised',
          data: { kind: 'FOLLOW_UP_DUE', dueOn: day(100), raisedOn: day(101) },
        },
      ]);
    const after = foldCase([...youth, followUpRecorded({ id: 'fu', on: day(95) })]);
    expect(after.followUpDueOn).toBe(day(185));
  });

  it('R20: an adult is followed up from the first day of employment; the follow-up ends at closure', () => {
    const adult = [
      ...active,
      employmentRecorded({ start: day(40) }),
      followUpRecorded({ id: 'fu', on: day(72), verifiesEmployment: true }),
    ];
    expect(foldCase(adult).followUpDueOn).toBe(day(162));
    const closed = foldCase([
      ...adult,
      caseSuspended({ on: day(80), reason: 'EMPLOYMENT_ATTAINED' }),
      caseClosed({ on: day(85), exitDate: day(0) }),
    ]);
    expect(closed.followUpDueOn).toBeNull();
    spec
      .given([...adult, caseSuspended({ on: day(80) }), caseClosed({ on: day(85) })])
      .when(raiseTickler('FOLLOW_UP_DUE', day(162)), { today: day(163), ...system })
      .thenNothing();
  });

  it('R20: the last follow-up contact owed lies inside the twelve months', () => {
    const state = foldCase([
      ...active,
      employmentRecorded({ start: day(0) }),
      followUpRecorded({ id: 'fu', on: day(300), verifiesEmployment: true }),
    ]);
    expect(state.followUp?.nextDueOn).toBeNull();
  });
});

describe('R21: a late entry after a soft exit, per the area policy', () => {
  const late = {
    contact: recordContact({ id: 'late', on: day(60) }).data,
    justification: 'Visit on day 60 was entered on paper only; the file proves it.',
  };

  it('R21: REFUSE (Missouri, the default) refuses the late entry', () =>
    spec
      .given(exited())
      .when({ type: 'ReverseSoftExit', data: late }, { today: day(110), actor: supervisor() })
      .thenThrows('R21', 'rule'));

  it('R21: REVERSE_WITH_APPROVAL appends SoftExitReversed and the contact; the clock restarts', () => {
    const state = spec
      .given(exitedMA)
      .when(
        { type: 'ReverseSoftExit', data: late },
        { today: day(110), actor: supervisor(), ...ma },
      )
      .thenFold([
        {
          type: 'SoftExitReversed',
          data: expect.objectContaining({
            reversedExit: {
              exitDate: day(10),
              dueOn: day(100),
              detectedOn: day(101),
              eventId: null,
            },
            lateContactId: 'late',
            lateContactOn: day(60),
            approvedBy: 'staff-sup-1',
          }) as never,
        },
        contactRecorded({ id: 'late', on: day(60) }),
      ]);
    expect(state).toMatchObject({ status: 'ACTIVE', exitDate: null, softExitDueOn: day(150) });
  });

  it('R21: a late contact dated outside the 90 days does not reverse the exit', () =>
    spec
      .given(exitedMA)
      .when(
        {
          type: 'ReverseSoftExit',
          data: { ...late, contact: recordContact({ id: 'late', on: day(105) }).data },
        },
        { today: day(110), actor: supervisor(), ...ma },
      )
      .thenThrows('R21', 'rule'));

  it('R21: a case manager may not reverse an exit', () =>
    spec
      .given(exitedMA)
      .when({ type: 'ReverseSoftExit', data: late }, { today: day(110), ...ma })
      .thenThrows('R21', 'forbidden'));

  it('R21: if the restarted clock has run out too, the case exits again at the late contact', () => {
    const events = caseDecider.decide({ type: 'ReverseSoftExit', data: late }, foldCase(exitedMA), {
      ...contextFor(day(200)),
      policy: MA_POLICY,
      actor: supervisor(),
    });
    expect(events.map((e) => e.type)).toEqual([
      'SoftExitReversed',
      'ContactRecorded',
      'CaseSoftExited',
    ]);
    expect((events[2] as CaseSoftExited).data.exitDate).toBe(day(60));
  });
});

describe('R22: corrections are appended, never rewritten', () => {
  const twoContacts = [
    ...active,
    contactRecorded({ id: 'c-20', on: day(20) }),
    contactRecorded({ id: 'c-50', on: day(50) }),
  ];

  it('R22: a voided qualifying contact stops counting; the deadline is recomputed', () => {
    const state = spec
      .given(twoContacts)
      .when(voidContact('c-50'), { today: day(60) })
      .thenFold([contactVoided('c-50', day(60))]);
    expect(state.lastQualifyingContactOn).toBe(day(20));
    expect(state.softExitDueOn).toBe(day(110));
    expect(state.contacts.find((c) => c.contactId === 'c-50')?.voided?.reason).toBe(
      'Entered on the wrong case.',
    );
  });

  it('R22: if the recomputed deadline has passed, the case soft-exits, dated at the contact before', () => {
    const events = caseDecider.decide(
      voidContact('c-50'),
      foldCase(twoContacts),
      contextFor(day(115)),
    );
    expect(events.map((e) => e.type)).toEqual(['ContactVoided', 'CaseSoftExited']);
    expect((events[1] as CaseSoftExited).data).toMatchObject({
      exitDate: day(20),
      trigger: 'CONTACT_VOIDED',
    });
  });

  it('R22: an entry is corrected with the previous values kept in the event', () =>
    spec
      .given([...active, barrierIdentified({ on: day(2) })])
      .when(
        {
          type: 'CorrectEntry',
          data: {
            entity: 'BARRIER',
            id: 'barrier-1',
            fields: { plan: 'Car-pool with a classmate.' },
            reason: 'Plan was mistyped.',
          },
        },
        { today: day(3) },
      )
      .then([
        {
          type: 'EntryCorrected',
          data: {
            entity: 'BARRIER',
            id: 'barrier-1',
            fields: { plan: 'Car-pool with a classmate.' },
            previous: { plan: 'Bus pass through support services; car-pool list.' },
            reason: 'Plan was mistyped.',
            correctedOn: day(3),
            correctedBy: 'staff-cm-1',
          },
        },
      ]));

  it('R22: a field that moves a clock is not corrected this way', () =>
    spec
      .given([...active, gapScheduled({ from: day(20), to: day(30) })])
      .when(
        {
          type: 'CorrectEntry',
          data: { entity: 'GAP', id: 'gap-1', fields: { endDate: day(60) }, reason: 'x' },
        },
        { today: day(21) },
      )
      .thenThrows('R22', 'rule'));

  it("R22: the customer's name is corrected, also after a soft exit; never on a closed case", () => {
    const correct: CaseCommand = {
      type: 'CorrectCustomerDetails',
      data: { lastName: 'Amos', reason: 'Spelling on the ID card.' },
    };
    spec
      .given(exited())
      .when(correct, { today: day(120) })
      .then([
        {
          type: 'CustomerDetailsCorrected',
          data: {
            firstName: 'Jordan',
            lastName: 'Amos',
            previous: { firstName: 'Jordan', lastName: 'Ames' },
            reason: 'Spelling on the ID card.',
            correctedOn: day(120),
            correctedBy: 'staff-cm-1',
          },
        },
      ]);
    spec
      .given([
        ...exited(),
        caseSuspended({ on: day(120) }),
        caseClosed({ on: day(125), exitDate: day(10) }),
      ])
      .when(correct, { today: day(126) })
      .thenThrows('R17', 'rule');
  });

  it('R22: a soft-exited case does not have a qualifying contact voided (its exit moves only by R21)', () =>
    spec
      .given(exited())
      .when(voidContact('c-last'), { today: day(120) })
      .thenThrows('R17', 'rule'));
});

describe('Dates v2: a plausible range, checked in the domain too', () => {
  it('BUSINESS_DATE: a date before 1990-01-01 is refused', () =>
    spec
      .given([])
      .when(openCase({ on: date('1989-12-31') }), { today: day(0) })
      .thenThrows('BUSINESS_DATE', 'validation'));

  it('BUSINESS_DATE: a planned end date more than two years ahead (9999-12-31) is refused', () =>
    spec
      .given(active)
      .when(enrollInActivity({ id: 'enr-2', on: day(1), endDate: date('9999-12-31') }), {
        today: day(1),
      })
      .thenThrows('BUSINESS_DATE', 'validation'));

  it('BUSINESS_DATE: a planned end within two years is accepted', () =>
    spec
      .given(active)
      .when(enrollInActivity({ id: 'enr-2', on: day(1), endDate: day(700) }), { today: day(1) })
      .then([enrolled({ id: 'enr-2', on: day(1), endDate: day(700) })]));
});

describe('Self-explaining decisions (DESIGN.md "Events" v2)', () => {
  it('CaseSoftExited names its rules, policy and the events it rests on', () => {
    const given: CaseEvent[] = [
      { ...caseOpened({ on: day(0) }), eventId: 'ev-open' },
      { ...enrolled({ on: day(0) }), eventId: 'ev-enr' },
      { ...contactRecorded({ id: 'c-10', on: day(10) }), eventId: 'ev-c10' },
      { ...gapScheduled({ from: day(20), to: day(29) }), eventId: 'ev-gap' },
      { ...contactAttempted({ id: 'call-50', on: day(50) }), eventId: 'ev-call' },
    ];
    const [event] = caseDecider.decide(softExitCase(), foldCase(given), {
      ...contextFor(day(111)),
      actor: systemActor(),
    });
    expect(event).toEqual({
      type: 'CaseSoftExited',
      data: {
        exitDate: day(10),
        dueOn: day(110),
        detectedOn: day(111),
        rules: ['R8', 'R17', 'R10', 'R5', 'R7'],
        trigger: 'DEADLINE_PASSED',
        policy: {
          localAreaId: 'MO-DEFAULT',
          policyId: 'MO-DWD-01-02',
          version: 2,
          terms: {
            policyId: 'MO-DWD-01-02',
            version: 2,
            contactIntervalDays: 90,
            softExitWindowDays: 90,
            followUpPeriodDays: 30,
            followUpMonths: 12,
            followUpEveryDays: 90,
          },
        },
        exit: {
          basis: 'LAST_QUALIFYING_CONTACT',
          opening: { eventId: 'ev-open', openedOn: day(0) },
          lastQualifyingContact: { contactId: 'c-10', eventId: 'ev-c10', occurredOn: day(10) },
          gapsCounted: [
            {
              gapId: 'gap-1',
              eventId: 'ev-gap',
              startDate: day(20),
              endDate: day(29),
              daysCounted: 10,
            },
          ],
          notCounted: [
            {
              contactId: 'call-50',
              eventId: 'ev-call',
              occurredOn: day(50),
              method: 'TELEPHONE',
              reason: 'NO_ANSWER',
            },
          ],
        },
      },
    });
  });

  it('a v1 CaseSoftExited upcasts to the v2 shape with null references', () =>
    expect(
      upcast({
        type: 'CaseSoftExited',
        schemaVersion: 1,
        data: { exitDate: day(0), dueOn: day(90), detectedOn: day(91) },
        eventId: 'e-1',
      }),
    ).toEqual({
      type: 'CaseSoftExited',
      eventId: 'e-1',
      data: {
        exitDate: day(0),
        dueOn: day(90),
        detectedOn: day(91),
        rules: ['R8', 'R17'],
        trigger: 'DEADLINE_PASSED',
        policy: null,
        exit: null,
      },
    }));
});
