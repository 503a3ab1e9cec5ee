import { addDays, type BusinessDate } from '@caseledger/domain';
import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { openCaseBody } from '../support/case-requests';

/** POST /api/v1/cases (R1, R2; R13: in one's own or a cleared career center). */
export const openCase = useCase('open a case', [
  scenario('opens a case: 201 with caseId, revision 0, Location and ETag; GET folds it')
    .smoke()
    .given(given.aCaseBody())
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(
      then.response(201, {
        body: (s) => ({ caseId: s.caseId, revision: 0 }),
        headers: (s) => ({ location: `/api/v1/cases/${s.caseId}`, etag: '"0"' }),
      }),
      then.caseMatches((s) => ({
        caseId: s.caseId,
        revision: 0,
        status: 'ACTIVE',
        program: 'WIOA_ADULT',
        careerCenterId: 'cc-1',
        caseManagerId: 'staff-cm-1',
        openedOn: s.openBody.openedOn,
        lastQualifyingContactOn: null,
        softExitDueOn: addDays(s.openBody.openedOn as BusinessDate, 90),
        exitDate: null,
        enrollments: [],
        contacts: [],
        barriers: [],
      })),
      then.that(async ({ scene, response }) => {
        // The Location answers the folded case with its revision as ETag.
        const state = await scene.get(response.headers.location);
        expect(state.status).toBe(200);
        expect(state.headers.etag).toBe('"0"');
      }),
    ),

  scenario('generates the case id when the client omits it')
    .when((s) => {
      const { caseId: _omit, ...body } = openCaseBody();
      return s.post('/api/v1/cases', body);
    })
    .then(
      then.response(201),
      then.that(({ response }) =>
        expect((response.body as { caseId: string }).caseId).toMatch(/^[0-9a-f-]{36}$/),
      ),
    ),

  scenario('400: a nested field error names its path')
    .given(given.aCaseBody({ customer: { id: 'c', firstName: '', lastName: 'X' } }))
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(
      then.problem('validation', 400, (body) =>
        expect((body.errors as object[])[0]).toMatchObject({ field: 'customer.firstName' }),
      ),
      then.noNewEvents(),
    ),

  scenario('R1: a program outside the program groups is refused under R1')
    .given(given.aCaseBody({ program: 'WIOA_SENIOR' }))
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(
      then.problem('R1', 400, (body) =>
        expect(body.errors).toEqual([expect.objectContaining({ field: 'program' })]),
      ),
      then.noNewEvents(),
    ),

  scenario('R2: a case without its case manager is refused under R2')
    .given(given.aCaseBody({ caseManagerId: '' }))
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(
      then.problem('R2', 400, (body) =>
        expect(body.errors).toEqual([expect.objectContaining({ field: 'caseManagerId' })]),
      ),
      then.noNewEvents(),
    ),

  scenario('R2: an unknown local area is refused under R2')
    .given(given.aCaseBody({ localAreaId: 'MO-NOWHERE' }))
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(then.problem('R2', 422), then.noNewEvents()),

  scenario('403: an auditor opens no case')
    .given(given.aCaseBody())
    .when((s) => s.post('/api/v1/cases', s.openBody, s.tokens.auditor))
    .then(then.problem('forbidden', 403), then.noNewEvents()),

  scenario('R13: a case manager opens no case in a center not theirs')
    .given(given.aCaseBody())
    .when((s) => s.post('/api/v1/cases', s.openBody, s.tokens.otherCm))
    .then(then.problem('R13', 403), then.noNewEvents()),

  scenario('409: opening a case id that exists')
    .smoke()
    .given(given.anOpenCase())
    .when((s) => s.post('/api/v1/cases', s.openBody))
    .then(then.problem('CASE_EXISTS', 409), then.noNewEvents(), then.eventCount(1)),
]);
