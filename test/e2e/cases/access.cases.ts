import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { tokenFor } from '../support/api-harness';
import { contactBody } from '../support/case-requests';

/** Who may change a case: a valid token (401), a role that writes, R13's centers (403). */
export const access = useCase('authenticate and authorize', [
  scenario('401: no token on a command')
    .smoke()
    .given(given.aCase())
    .when((s) => s.http().post(s.casePath('contacts')).send(contactBody()))
    .then(
      then.problem('unauthorized', 401),
      then.response(401, { headers: { 'www-authenticate': 'Bearer' } }),
      then.noNewEvents(),
    ),

  scenario('401: no token on a read')
    .given(given.aCase())
    .when((s) => s.http().get(s.casePath()))
    .then(then.problem('unauthorized', 401), then.noNewEvents()),

  scenario('401: a token signed with another secret (forged)')
    .given(given.aCase())
    .when(async (s) => {
      const forged = await tokenFor({
        role: 'admin',
        center: 'cc-1',
        secret: 'an-attacker-secret-that-is-also-long-enough',
      });
      return s.post(s.casePath('contacts'), contactBody(), forged);
    })
    .then(then.problem('unauthorized', 401), then.noNewEvents()),

  scenario('401: a token with an unknown role')
    .given(given.aCase())
    .when(async (s) => {
      const odd = await tokenFor({ role: 'janitor' as never, center: 'cc-1' });
      return s.post(s.casePath('contacts'), contactBody(), odd);
    })
    .then(then.problem('unauthorized', 401), then.noNewEvents()),

  scenario('403: auditors write nothing')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody(), s.tokens.auditor))
    .then(then.problem('forbidden', 403), then.noNewEvents()),

  scenario('R13: a case manager of another career center may not change the case')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody(), s.tokens.otherCm))
    .then(then.problem('R13', 403), then.noNewEvents()),

  scenario('R13: a case manager cleared for another center may change its cases')
    .given(given.aCase())
    .when(async (s) => {
      const cleared = await tokenFor({
        role: 'case_manager',
        center: 'cc-2',
        clearances: ['cc-1'],
      });
      return s.post(s.casePath('contacts'), contactBody(), cleared);
    })
    .then(then.response(201)),
]);
