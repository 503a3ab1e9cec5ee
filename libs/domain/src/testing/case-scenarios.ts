import { caseDecider } from '../case/case.decide';
import type { CaseEvent } from '../case/case.events';
import type { DecideContext } from '../policy/contact-policy';
import { caseOpened, day, enrolled, systemActor } from './builders';
import { DeciderSpecification } from './decider-specification';

/** The case decider under given / when / then (the decider specs' shared preamble). */
export const caseSpec = DeciderSpecification.for(caseDecider);

/** An open case (day 0) with an open-ended enrollment: contacts are justified (R3). */
export const ACTIVE_CASE: readonly CaseEvent[] = [
  caseOpened({ on: day(0) }),
  enrolled({ on: day(0) }),
];

/** Decide as the scheduled jobs do (the system actor). */
export const AS_SYSTEM: Partial<DecideContext> = { actor: systemActor() };
