import type { Actor } from './case.vocabulary';

/**
 * Who issues the scheduled commands (SoftExitCase, RaiseTickler). R13: every
 * change records who made it, so a job's change is recorded as the system's.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  staffId: 'system',
  role: 'admin',
  careerCenterId: 'system',
});
