import type { BusinessDate } from '../shared/business-date';
import type { RecordContact } from './case.commands';
import {
  MA_POLICY,
  OTHER_CENTER,
  admin,
  approveSuspension,
  assessed,
  auditor,
  barrierIdentified,
  barrierOvercome,
  caseClosed,
  caseManager,
  caseOpened,
  caseSoftExited,
  caseSuspended,
  caseTransferred,
  contactAttempted,
  contactRecorded,
  COMPLETE_JOB,
  day,
  employmentRecorded,
  endEnrollment,
  enrolled,
  enrollInActivity,
  enrollmentEnded,
  followUpRecorded,
  gapScheduled,
  goalResolved,
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
  suspensionReturned,
  ticklerRaised,
  transferCase,
  ACTIVE_CASE,
  AS_SYSTEM,
  caseSpec as spec,
} from '../testing';

const active = [...ACTIVE_CASE];
const system = AS_SYSTEM;

describe('case lifecycle', () => {
  it('CASE_EXISTS: opening a case that already exists is a conflict', () =>
    spec.given(active).when(openCase()).thenThrows('CASE_EXISTS', 'conflict'));

  it('NOT_FOUND: any other command on a case that was never opened', () =>
    spec
      .given([])
      .when(recordContact({ on: day(0) }))
      .thenThrows('NOT_FOUND', 'not_found'));

  it('DUPLICATE_ID: a new contact reusing an id already in the case is a conflict', () =>
    spec
      .given([...active, contactRecorded({ id: 'c-1', on: day(5) })])
      .when(recordContact({ id: 'c-1', on: day(6) }))
      .thenThrows('DUPLICATE_ID', 'conflict'));

  it('DUPLICATE_ID: enrollments, barriers, gaps, goals and assessments too', () => {
    const given = spec.given([
      ...active,
      barrierIdentified(),
      gapScheduled({ from: day(10), to: day(12) }),
      goalSet(),
      assessed({ kind: 'MATH' }),
    ]);
    given.when(enrollInActivity({ on: day(1) })).thenThrows('DUPLICATE_ID');
    given.when(identifyBarrier({ on: day(1) })).thenThrows('DUPLICATE_ID');
    given.when(schedulePlannedGap({ from: day(20), to: day(21) })).thenThrows('DUPLICATE_ID');
    given.when(setGoal()).thenThrows('DUPLICATE_ID');
    given.when(recordAssessment({ kind: 'MATH', on: day(1) })).thenThrows('DUPLICATE_ID');
  });
});

describe('business dates', () => {
  it('BUSINESS_DATE: a contact dated after today is refused', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(11) }), { today: day(10) })
      .thenThrows('BUSINESS_DATE', 'validation'));

  it('BUSINESS_DATE: a back-dated contact is accepted, but never before the case opened', () => {
    spec
      .given(active)
      .when(recordContact({ on: day(3) }), { today: day(40) })
      .then([contactRecorded({ on: day(3) })]);
    spec
      .given([caseOpened({ on: day(5) }), enrolled({ on: day(5) })])
      .when(recordContact({ on: day(4) }), { today: day(10) })
      .thenThrows('BUSINESS_DATE', 'validation');
  });

  it('BUSINESS_DATE: an enrollment cannot end before it started', () =>
    spec
      .given([...active, enrolled({ id: 'enr-2', on: day(10) })])
      .when(endEnrollment({ id: 'enr-2', on: day(9) }), { today: day(20) })
      .thenThrows('BUSINESS_DATE', 'validation'));

  it('BUSINESS_DATE: an opening dated in the future is refused', () =>
    spec
      .given([])
      .when(openCase({ on: day(2) }), { today: day(1) })
      .thenThrows('BUSINESS_DATE', 'validation'));
});

describe('R1 program group', () => {
  it('R1: a case opens in a program group of the enum', () =>
    spec
      .given([])
      .when(openCase({ on: day(0), program: 'VETERAN' }))
      .then([caseOpened({ on: day(0), program: 'VETERAN' })]));
});

describe('R2 one case manager, one career center, one area', () => {
  it("R2: the opened case carries its area's policy terms", () => {
    const state = spec
      .given([])
      .when(openCase({ on: day(0), policy: MA_POLICY }))
      .thenFold([caseOpened({ on: day(0), policy: MA_POLICY })]);
    expect(state.policy?.contactIntervalDays).toBe(60);
    expect(state.contactDueOn).toBe(day(60));
  });

  it('R2: a case in an unknown local area is refused', () =>
    spec
      .given([])
      .when(openCase({ on: day(0), localAreaId: 'NOWHERE' }))
      .thenThrows('R2', 'rule'));
});

describe('R3 enrollment justifies the contact', () => {
  it('R3: a contact while the customer is enrolled is accepted', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(30) }))
      .then([contactRecorded({ on: day(30) })]));

  it('R3: a contact with no enrollment is refused', () =>
    spec
      .given([caseOpened({ on: day(0) })])
      .when(recordContact({ on: day(30) }))
      .thenThrows('R3', 'rule'));

  it('R3: a contact after the enrollment ended is refused', () =>
    spec
      .given([...active, enrollmentEnded({ on: day(20) })])
      .when(recordContact({ on: day(21) }))
      .thenThrows('R3', 'rule'));

  it('R3: a contact after the planned end of the activity is refused', () =>
    spec
      .given([caseOpened({ on: day(0) }), enrolled({ on: day(0), endDate: day(40) })])
      .when(recordContact({ on: day(41) }))
      .thenThrows('R3', 'rule'));
});

describe('R4 method, progress and justification', () => {
  it('R4: notes exactly as long as the policy minimum are accepted', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5), progress: 'x'.repeat(20), justification: 'y'.repeat(20) }))
      .then([
        contactRecorded({ on: day(5), progress: 'x'.repeat(20), justification: 'y'.repeat(20) }),
      ]));

  it('R4: a placeholder progress note is refused', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5), progress: '   ok, fine           ' }))
      .thenThrows('R4', 'rule'));

  it('R4: a missing justification is refused', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5), justification: '' }))
      .thenThrows('R4', 'rule'));

  it('R4: a method/outcome pair that cannot happen is refused', () => {
    spec
      .given(active)
      .when(recordContact({ on: day(5), method: 'IN_PERSON', outcome: 'NO_ANSWER' }))
      .thenThrows('R4', 'validation');
    spec
      .given(active)
      .when(recordContact({ on: day(5), method: 'EMAIL', outcome: 'REACHED' }))
      .thenThrows('R4', 'validation');
  });
});

describe('R5 no answer, message left', () => {
  it('R5: a telephone call with no answer does not reset the soft-exit clock', () => {
    const state = spec
      .given(active)
      .when(recordContact({ method: 'TELEPHONE', outcome: 'NO_ANSWER', on: day(30) }))
      .thenFold([contactAttempted({ on: day(30) })]);
    expect(state.lastQualifyingContactOn).toBeNull();
    expect(state.softExitDueOn).toBe(day(90));
  });

  it('R5: a message left is recorded as an attempt, not a contact', () =>
    spec
      .given(active)
      .when(recordContact({ method: 'TELEPHONE', outcome: 'MESSAGE_LEFT', on: day(30) }))
      .then([contactAttempted({ outcome: 'MESSAGE_LEFT', on: day(30) })]));

  it('R5: a telephone conversation with the customer is a qualifying contact', () => {
    const state = spec
      .given(active)
      .when(recordContact({ method: 'TELEPHONE', outcome: 'REACHED', on: day(30) }))
      .thenFold([contactRecorded({ method: 'TELEPHONE', outcome: 'REACHED', on: day(30) })]);
    expect(state.softExitDueOn).toBe(day(120));
  });
});

describe('R6 customer, provider, alternate', () => {
  it('R6: the provider counts when the customer was not available', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), party: 'PROVIDER', customerUnavailable: true }))
      .then([contactRecorded({ on: day(9), party: 'PROVIDER', customerUnavailable: true })]));

  it('R6: by telephone, the provider does not count while the customer was available', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(9), method: 'TELEPHONE', party: 'PROVIDER' }))
      .thenThrows('R6', 'rule'));

  it('R6: a knowledgeable alternate counts when customer and provider were unavailable', () => {
    const flags = {
      party: 'ALTERNATE' as const,
      customerUnavailable: true,
      providerUnavailable: true,
      alternateHasSubstantiveKnowledge: true,
    };
    spec
      .given(active)
      .when(recordContact({ on: day(9), ...flags }))
      .then([contactRecorded({ on: day(9), ...flags })]);
  });

  it('R6: an alternate without substantive knowledge of the progress does not count', () =>
    spec
      .given(active)
      .when(
        recordContact({
          on: day(9),
          method: 'TELEPHONE',
          party: 'ALTERNATE',
          customerUnavailable: true,
          providerUnavailable: true,
        }),
      )
      .thenThrows('R6', 'rule'));
});

describe('R7 letters and e-mails', () => {
  const emailSent = contactAttempted({
    id: 'mail-1',
    method: 'EMAIL',
    outcome: 'SENT',
    on: day(20),
  });

  it('R7: an e-mail sent is outreach: recorded, awaiting the customer, no clock reset', () => {
    const state = spec
      .given(active)
      .when(recordContact({ id: 'mail-1', method: 'EMAIL', outcome: 'SENT', on: day(20) }))
      .thenFold([emailSent]);
    expect(state.contacts[0]).toMatchObject({ awaitingResponse: true, qualifying: false });
    expect(state.softExitDueOn).toBe(day(90));
  });

  it("R7: the customer's letter in response counts and answers the outreach", () => {
    const response = { id: 'reply-1', method: 'LETTER' as const, on: day(35) };
    const state = spec
      .given([...active, emailSent])
      .when(recordContact({ ...response, outcome: 'RESPONSE_RECEIVED' }))
      .thenFold([
        contactRecorded({ ...response, outcome: 'RESPONSE_RECEIVED', answersOutreach: ['mail-1'] }),
      ]);
    expect(state.contacts[0]?.awaitingResponse).toBe(false);
    expect(state.lastQualifyingContactOn).toBe(day(35));
    expect(state.softExitDueOn).toBe(day(125));
  });

  it('R7: a response from someone other than the customer does not count', () =>
    spec
      .given([...active, emailSent])
      .when(
        recordContact({
          id: 'reply-1',
          method: 'EMAIL',
          outcome: 'RESPONSE_RECEIVED',
          party: 'PROVIDER',
          customerUnavailable: true,
          on: day(35),
        }),
      )
      .thenThrows('R7', 'rule'));

  it('R7: a response entered after the soft-exit deadline has passed does not count', () =>
    spec
      .given([...active, emailSent])
      .when(
        recordContact({
          id: 'reply-1',
          method: 'EMAIL',
          outcome: 'RESPONSE_RECEIVED',
          on: day(85),
        }),
        { today: day(91) },
      )
      .thenThrows('R8', 'rule'));
});

describe('R8 the 90-day entry', () => {
  it('R8: an entry on the 90th day is on time and restarts the clock', () => {
    const state = spec
      .given(active)
      .when(recordContact({ on: day(90) }))
      .thenFold([contactRecorded({ on: day(90) })]);
    expect(state.softExitDueOn).toBe(day(180));
  });

  it('R8: once the deadline has passed, a back-dated entry is refused: the case is due to soft exit', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(80) }), { today: day(91) })
      .thenThrows('R8', 'rule'));

  it('R8: a back-dated contact never moves the deadline earlier', () => {
    const state = spec
      .given([...active, contactRecorded({ id: 'c-60', on: day(60) })])
      .when(recordContact({ id: 'c-30', on: day(30) }), { today: day(61) })
      .thenFold([contactRecorded({ id: 'c-30', on: day(30) })]);
    expect(state.lastQualifyingContactOn).toBe(day(60));
    expect(state.softExitDueOn).toBe(day(150));
  });
});

describe('R9 the local contact standard (tickler)', () => {
  const maCase = [caseOpened({ on: day(0), policy: MA_POLICY }), enrolled({ on: day(0) })];

  it('R9: a contact after the 60-day standard is still accepted (it does not soft-exit)', () => {
    const state = spec
      .given(maCase)
      .when(recordContact({ on: day(75) }))
      .thenFold([contactRecorded({ on: day(75) })]);
    expect(state.contactDueOn).toBe(day(135));
  });

  it('R9: the contact-due tickler is raised once the standard has passed', () =>
    spec
      .given(maCase)
      .when(raiseTickler('CONTACT_DUE', day(60)), { today: day(61), ...system })
      .then([ticklerRaised('CONTACT_DUE', day(60), day(61))]));

  it('R9: no tickler on the due date itself, for a moved deadline, or twice', () => {
    spec
      .given(maCase)
      .when(raiseTickler('CONTACT_DUE', day(60)), { today: day(60), ...system })
      .thenNothing();
    spec
      .given([...maCase, contactRecorded({ on: day(50) })])
      .when(raiseTickler('CONTACT_DUE', day(60)), { today: day(61), ...system })
      .thenNothing();
    spec
      .given([...maCase, ticklerRaised('CONTACT_DUE', day(60), day(61))])
      .when(raiseTickler('CONTACT_DUE', day(60)), { today: day(62), ...system })
      .thenNothing();
  });
});

describe('R10 planned gaps', () => {
  it('R10: a planned gap pauses the soft-exit clock by its days inside the window', () => {
    const state = spec
      .given(active)
      .when(schedulePlannedGap({ from: day(30), to: day(39) }), { today: day(20) })
      .thenFold([gapScheduled({ from: day(30), to: day(39) })]);
    expect(state.softExitDueOn).toBe(day(100));
    expect(state.contactDueOn).toBe(day(100));
  });

  it('R10: an overlapping gap is refused', () =>
    spec
      .given([...active, gapScheduled({ id: 'g-1', from: day(30), to: day(39) })])
      .when(schedulePlannedGap({ id: 'g-2', from: day(39), to: day(45) }), { today: day(20) })
      .thenThrows('R10', 'rule'));

  it('R10: a gap that ends before it starts is refused', () =>
    spec
      .given(active)
      .when(schedulePlannedGap({ from: day(30), to: day(29) }), { today: day(20) })
      .thenThrows('R10', 'validation'));
});

describe('R11 barriers', () => {
  it('R11: a barrier is recorded with a description and a plan', () =>
    spec
      .given(active)
      .when(identifyBarrier({ on: day(3) }))
      .then([barrierIdentified({ on: day(3) })]));

  it('R11: an overcome barrier records how, and stays in the case', () => {
    const state = spec
      .given([...active, barrierIdentified({ on: day(3) })])
      .when(overcomeBarrier({ on: day(9) }))
      .thenFold([barrierOvercome({ on: day(9) })]);
    expect(state.barriers).toEqual([
      expect.objectContaining({ status: 'OVERCOME', how: 'Monthly bus pass issued.' }),
    ]);
  });

  it('R11: a barrier cannot be overcome twice', () =>
    spec
      .given([...active, barrierIdentified({ on: day(3) }), barrierOvercome({ on: day(9) })])
      .when(overcomeBarrier({ on: day(10) }))
      .thenThrows('R11', 'rule'));

  it('R11: overcoming an unknown barrier is not found', () =>
    spec
      .given(active)
      .when(overcomeBarrier({ id: 'nope', on: day(10) }))
      .thenThrows('NOT_FOUND', 'not_found'));
});

describe('R12 transfer', () => {
  it('R12: a supervisor transfers the case; the history stays with it', () => {
    const state = spec
      .given([...active, contactRecorded({ on: day(10) })])
      .when(transferCase(), { today: day(12), actor: supervisor() })
      .thenFold([caseTransferred({ on: day(12) })]);
    expect(state.careerCenterId).toBe(OTHER_CENTER);
    expect(state.contacts).toHaveLength(1);
    expect(state.transfers).toHaveLength(1);
  });

  it("R12: a transfer to another area takes that area's contact standard", () => {
    const to = { careerCenterId: 'cc-boston', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-ma' };
    const state = spec
      .given([...active, contactRecorded({ on: day(10) })])
      .when(
        transferCase({
          toCareerCenterId: to.careerCenterId,
          toLocalAreaId: to.localAreaId,
          toCaseManagerId: to.caseManagerId,
        }),
        { today: day(12), actor: supervisor() },
      )
      .thenFold([caseTransferred({ on: day(12), to, policy: MA_POLICY })]);
    expect(state.contactDueOn).toBe(day(70));
    expect(state.softExitDueOn).toBe(day(100));
  });

  it('R12: a case manager may not transfer a case', () =>
    spec
      .given(active)
      .when(transferCase(), { today: day(12) })
      .thenThrows('R12', 'forbidden'));

  it('R12: a transfer to the same center and case manager is refused', () =>
    spec
      .given(active)
      .when(transferCase({ toCareerCenterId: 'cc-springfield', toCaseManagerId: 'staff-cm-1' }), {
        today: day(12),
        actor: supervisor(),
      })
      .thenThrows('R12', 'rule'));

  it('R12: a transfer to an unknown area is refused', () =>
    spec
      .given(active)
      .when(transferCase({ toLocalAreaId: 'XX-NOWHERE' }), { today: day(12), actor: supervisor() })
      .thenThrows('R2', 'rule'));
});

describe('R13 who may change a case', () => {
  const elsewhere = caseManager({ careerCenterId: OTHER_CENTER });

  it('R13: staff of another career center cannot change the case', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5) }), { actor: elsewhere })
      .thenThrows('R13', 'forbidden'));

  it('R13: staff of another career center with clearance can', () =>
    spec
      .given(active)
      .when(recordContact({ on: day(5) }), {
        actor: caseManager({ careerCenterId: OTHER_CENTER, clearances: ['cc-springfield'] }),
      })
      .then([contactRecorded({ on: day(5) })]));

  it('R13: an auditor writes nothing; an admin may change any case', () => {
    spec
      .given(active)
      .when(recordContact({ on: day(5) }), { actor: auditor() })
      .thenThrows('R13', 'forbidden');
    spec
      .given(active)
      .when(recordContact({ on: day(5) }), { actor: admin() })
      .then([contactRecorded({ on: day(5) })]);
  });

  it('R13: a case manager opens cases only in a center they are cleared for', () =>
    spec
      .given([])
      .when(openCase({ on: day(0), careerCenterId: OTHER_CENTER }))
      .thenThrows('R13', 'forbidden'));

  it('R13: soft exits are the system’s to fire, not a case manager’s', () =>
    spec
      .given(active)
      .when(softExitCase(), { today: day(91) })
      .thenThrows('R13', 'forbidden'));
});

describe('R14 closure reasons', () => {
  it('R14: a suspension for a move out of the area is accepted', () =>
    spec
      .given(active)
      .when(suspendCase(), { today: day(20) })
      .then([caseSuspended({ on: day(20) })]));

  it('R14: OTHER needs an explanation', () =>
    spec
      .given(active)
      .when(suspendCase({ reason: 'OTHER', details: '' }), { today: day(20) })
      .thenThrows('R14', 'validation'));

  it('R14: EMPLOYMENT_ATTAINED needs the job information, given or recorded', () =>
    spec
      .given(active)
      .when(suspendCase({ reason: 'EMPLOYMENT_ATTAINED' }), { today: day(20) })
      .thenThrows('R14', 'validation'));

  it('R14: NO_CONTACT_90_DAYS only once the case has soft-exited (v2)', () => {
    spec
      .given([...active, contactRecorded({ on: day(10) })])
      .when(suspendCase({ reason: 'NO_CONTACT_90_DAYS' }), { today: day(100) })
      .thenThrows('R14', 'rule');
    spec
      .given([
        ...active,
        contactRecorded({ on: day(10) }),
        caseSoftExited({ exitDate: day(10), dueOn: day(100), detectedOn: day(101) }),
      ])
      .when(suspendCase({ reason: 'NO_CONTACT_90_DAYS' }), { today: day(102) })
      .then([caseSuspended({ on: day(102), reason: 'NO_CONTACT_90_DAYS' })]);
  });
});

describe('R15 goals before suspension', () => {
  it('R15: a suspension while a goal is PENDING is refused', () =>
    spec
      .given([...active, goalSet()])
      .when(suspendCase(), { today: day(20) })
      .thenThrows('R15', 'rule'));

  it('R15: once every goal is resolved the case may be suspended', () =>
    spec
      .given([...active, goalSet(), goalResolved({ status: 'NOT_ACHIEVED' })])
      .when(suspendCase(), { today: day(20) })
      .then([caseSuspended({ on: day(20) })]));

  it('R15: a goal is resolved once', () => {
    spec
      .given([...active, goalSet()])
      .when(resolveGoal(), { today: day(3) })
      .then([goalResolved()]);
    spec
      .given([...active, goalSet(), goalResolved()])
      .when(resolveGoal({ status: 'CANCELLED' }), { today: day(3) })
      .thenThrows('R15', 'rule');
  });
});

describe('R16 two-step closure', () => {
  const suspended = [...active, caseSuspended({ on: day(20) })];

  it('R16: a supervisor approves the suspension and the case closes', () => {
    const state = spec
      .given(suspended)
      .when(approveSuspension('Verified relocation.'), { today: day(25), actor: supervisor() })
      .thenFold([
        {
          ...caseClosed({ on: day(25), note: 'Verified relocation.', exitDate: day(0) }),
          data: expect.objectContaining({
            closedOn: day(25),
            exitDate: day(0),
            approvedBy: 'staff-sup-1',
          }) as never,
        },
      ]);
    expect(state).toMatchObject({
      status: 'CLOSED',
      exitDate: day(0),
      closedOn: day(25),
      closureReason: 'MOVED_OUT_OF_AREA',
    });
  });

  it('R16: a supervisor returns it asking for more; the clocks restart from the facts', () => {
    const state = spec
      .given(suspended)
      .when(returnSuspension(), { today: day(25), actor: supervisor() })
      .thenFold([suspensionReturned(day(25))]);
    expect(state.status).toBe('ACTIVE');
    expect(state.suspension).toBeNull();
    expect(state.softExitDueOn).toBe(day(90));
  });

  it('R16: a case manager cannot approve a suspension', () =>
    spec
      .given(suspended)
      .when(approveSuspension(), { today: day(25) })
      .thenThrows('R16', 'forbidden'));

  it('R16: only a pending suspension is approved or returned; one request at a time', () => {
    spec
      .given(active)
      .when(approveSuspension(), { today: day(25), actor: supervisor() })
      .thenThrows('R16', 'rule');
    spec
      .given(suspended)
      .when(suspendCase(), { today: day(25) })
      .thenThrows('R16', 'rule');
  });

  it('R16 v2: while suspended the clock runs, so the soft exit fires, dated per R17', () => {
    const state = spec
      .given(suspended)
      .when(softExitCase(), { today: day(200), ...system })
      .thenFold([
        {
          type: 'CaseSoftExited',
          data: expect.objectContaining({ exitDate: day(0), dueOn: day(90) }) as never,
        },
      ]);
    expect(state.status).toBe('SOFT_EXITED');
    expect(state.suspension?.reason).toBe('MOVED_OUT_OF_AREA');
  });
});

describe('R17 soft exit', () => {
  it('R17: the case soft exits once the deadline has passed; the exit date is the last contact', () => {
    const state = spec
      .given([...active, contactRecorded({ on: day(10) })])
      .when(softExitCase(), { today: day(101), ...system })
      .thenFold([
        {
          type: 'CaseSoftExited',
          data: expect.objectContaining({
            exitDate: day(10),
            dueOn: day(100),
            detectedOn: day(101),
          }) as never,
        },
      ]);
    expect(state).toMatchObject({ status: 'SOFT_EXITED', exitDate: day(10), softExitDueOn: null });
  });

  it('R17: with no qualifying contact the exit date is the opening date', () =>
    spec
      .given([...active, contactAttempted({ on: day(50) })])
      .when(softExitCase(), { today: day(95), ...system })
      .then([
        {
          type: 'CaseSoftExited',
          data: expect.objectContaining({
            exitDate: day(0),
            dueOn: day(90),
            detectedOn: day(95),
          }) as never,
        },
      ]));

  it('R17: on the deadline itself nothing happens (an entry that day is on time)', () =>
    spec
      .given(active)
      .when(softExitCase(), { today: day(90), ...system })
      .thenNothing());

  it('R17: a late or duplicate soft-exit job is harmless', () =>
    spec
      .given([...active, caseSoftExited({ exitDate: day(0), dueOn: day(90), detectedOn: day(91) })])
      .when(softExitCase(), { today: day(92), ...system })
      .thenNothing());

  it('R17: a soft-exited case accepts no further qualifying contacts', () =>
    spec
      .given([...active, caseSoftExited({ exitDate: day(0), dueOn: day(90), detectedOn: day(91) })])
      .when(recordContact({ on: day(92) }))
      .thenThrows('R17', 'rule'));

  it('R17: a closed case accepts nothing, and its ticklers are silent', () => {
    const closed = [...active, caseSuspended({ on: day(20) }), caseClosed({ on: day(25) })];
    spec
      .given(closed)
      .when(identifyBarrier({ on: day(26) }))
      .thenThrows('R17', 'rule');
    spec
      .given(closed)
      .when(raiseTickler('CONTACT_DUE', day(90)), { today: day(91), ...system })
      .thenNothing();
  });
});

describe('R18 reading and math before training', () => {
  const training = enrollInActivity({ id: 'enr-train', activityType: 'TRAINING', on: day(5) });

  it('R18: an adult entering training without reading and math scores is refused', () =>
    spec
      .given([...active, assessed({ kind: 'READING' })])
      .when(training)
      .thenThrows('R18', 'rule'));

  it('R18: with both scores recorded the adult enters training', () =>
    spec
      .given([
        ...active,
        {
          ...assessed({ kind: 'READING' }),
          data: { ...assessed({ kind: 'READING' }).data, score: '9.2' },
        },
        {
          ...assessed({ kind: 'MATH' }),
          data: { ...assessed({ kind: 'MATH' }).data, score: '8.7' },
        },
      ])
      .when(training)
      .then([enrolled({ id: 'enr-train', activityType: 'TRAINING', on: day(5) })]));

  it('R18: a post-secondary exemption replaces the scores', () =>
    spec
      .given([...active, assessed({ kind: 'READING', exemption: 'POST_SECONDARY_EDUCATION' })])
      .when(training)
      .then([enrolled({ id: 'enr-train', activityType: 'TRAINING', on: day(5) })]));

  it('R18: the scores are required of adults and dislocated workers, not of youth', () => {
    spec
      .given([caseOpened({ on: day(0), program: 'WIOA_DISLOCATED_WORKER' })])
      .when(training)
      .thenThrows('R18', 'rule');
    spec
      .given([caseOpened({ on: day(0), program: 'WIOA_YOUTH' })])
      .when(training)
      .then([enrolled({ id: 'enr-train', activityType: 'TRAINING', on: day(5) })]);
  });
});

describe('R19 employment follow-up', () => {
  const employed = [...active, employmentRecorded({ start: day(40) })];
  const followUp = (on: BusinessDate): RecordContact =>
    recordContact({ id: `fu-${on}`, on, followUp: true });

  it('R19: recorded employment sets the follow-up due one period after the job start', () => {
    const state = spec
      .given(active)
      .when(recordEmployment({ start: day(40) }), { today: day(41) })
      .thenFold([employmentRecorded({ start: day(40) })]);
    expect(state.followUpDueOn).toBe(day(70));
  });

  it('R19 v2: a follow-up contact before the follow-up period ends is recorded, not verifying', () =>
    spec
      .given(employed)
      .when(followUp(day(60)))
      .then([followUpRecorded({ id: `fu-${day(60)}`, on: day(60), verifiesEmployment: false })]));

  it('R19: a follow-up contact after the period verifies the employment', () => {
    const state = spec
      .given(employed)
      .when(followUp(day(72)))
      .thenFold([followUpRecorded({ id: `fu-${day(72)}`, on: day(72), verifiesEmployment: true })]);
    // R20: the next follow-up is owed 90 days after the last one.
    expect(state.followUpDueOn).toBe(day(162));
    expect(state.employment?.verifiedOn).toBe(day(72));
  });

  it('R19: a follow-up needs recorded employment and a qualifying contact', () => {
    spec
      .given(active)
      .when(followUp(day(72)))
      .thenThrows('R19', 'rule');
    spec
      .given(employed)
      .when(
        recordContact({ on: day(72), method: 'TELEPHONE', outcome: 'NO_ANSWER', followUp: true }),
      )
      .thenThrows('R19', 'rule');
  });

  it('R19: EMPLOYMENT_ATTAINED is refused until the follow-up verified the employment', () =>
    spec
      .given(employed)
      .when(suspendCase({ reason: 'EMPLOYMENT_ATTAINED' }), { today: day(71) })
      .thenThrows('R19', 'rule'));

  it('R19: after the verifying follow-up the case is suspended with the job information', () =>
    spec
      .given([...employed, contactRecorded({ id: 'fu', on: day(72), followUp: true })])
      .when(suspendCase({ reason: 'EMPLOYMENT_ATTAINED', details: 'Hired full time.' }), {
        today: day(73),
      })
      .then([
        caseSuspended({
          on: day(73),
          reason: 'EMPLOYMENT_ATTAINED',
          details: 'Hired full time.',
          job: COMPLETE_JOB,
        }),
      ]));

  it('R19: the follow-up tickler is raised once the follow-up is overdue', () => {
    spec
      .given(employed)
      .when(raiseTickler('FOLLOW_UP_DUE', day(70)), { today: day(71), ...system })
      .then([ticklerRaised('FOLLOW_UP_DUE', day(70), day(71))]);
    spec
      .given([...employed, contactRecorded({ id: 'fu', on: day(70), followUp: true })])
      .when(raiseTickler('FOLLOW_UP_DUE', day(70)), { today: day(71), ...system })
      .thenNothing();
  });
});
