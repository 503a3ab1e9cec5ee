import {
  aCase,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';
import { tokenFor } from '../support/api-harness';
import { contactBody } from '../support/case-requests';

/** Who may change a case: a valid token (401), a role that writes, R13's centers (403). */
export const access = useCase(__filename, 'authenticate and authorize', [
  scenario('401: no token on a command')
    .smoke()
    .given(aCase())
    .when((s) => s.http().post(s.casePath('contacts')).send(contactBody()))
    .then(
      expectProblem('unauthorized', 401),
      expectResponse(401, { headers: { 'www-authenticate': 'Bearer' } }),
      expectNoNewEvents(),
    ),

  scenario('401: no token on a read')
    .given(aCase())
    .when((s) => s.http().get(s.casePath()))
    .then(expectProblem('unauthorized', 401), expectNoNewEvents()),

  scenario('401: a token signed with another secret (forged)')
    .given(aCase())
    .when(async (s) => {
      const forged = await tokenFor({
        role: 'admin',
        center: 'cc-1',
        secret: 'an-attacker-secret-that-is-also-long-enough',
      });
      return s.post(s.casePath('contacts'), contactBody(), forged);
    })
    .then(expectProblem('unauthorized', 401), expectNoNewEvents()),

  scenario('401: a token with an unknown role')
    .given(aCase())
    .when(async (s) => {
      const odd = await tokenFor({ role: 'janitor' as never, center: 'cc-1' });
      return s.post(s.casePath('contacts'), contactBody(), odd);
    })
    .then(expectProblem('unauthorized', 401), expectNoNewEvents()),

  scenario('403: auditors write nothing')
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody(), s.tokens.auditor))
    .then(expectProblem('forbidden', 403), expectNoNewEvents()),

  scenario('R13: a case manager of another career center may not change the case')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody(), s.tokens.otherCm))
    .then(expectProblem('R13', 403), expectNoNewEvents()),

  scenario('R13: a case manager cleared for another center may change its cases')
    .given(aCase())
    .when(async (s) => {
      const cleared = await tokenFor({
        role: 'case_manager',
        center: 'cc-2',
        clearances: ['cc-1'],
      });
      return s.post(s.casePath('contacts'), contactBody(), cleared);
    })
    .then(expectResponse(201)),
]);
