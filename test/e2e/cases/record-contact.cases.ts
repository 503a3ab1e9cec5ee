import { addDays } from '@caseledger/domain';
import {
  aCase,
  aRequest,
  anOpenCase,
  expectCase,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';
import { contactBody, daysAgo, today } from '../support/case-requests';

type Body = Record<string, unknown>;

const qualifyingContactTwoDaysAgo = aRequest((s) =>
  s.post(s.casePath('contacts'), contactBody({ occurredOn: daysAgo(2) })),
);

/** POST …/contacts (R3–R8, R17, R19), and the edge's checks of its body. */
export const recordContact = useCase(__filename, 'record a contact', [
  scenario('R8: a qualifying contact moves the soft-exit date')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: daysAgo(2) })))
    .then(
      expectResponse(201, {
        matches: { qualifying: true, revision: 2, contactId: expect.any(String) as unknown },
      }),
      expectCase(() => ({
        lastQualifyingContactOn: daysAgo(2),
        softExitDueOn: addDays(daysAgo(2), 90),
      })),
    ),

  scenario('R5: an unanswered call is recorded but does not move the soft-exit date')
    .smoke()
    .given(aCase(), qualifyingContactTwoDaysAgo)
    .when((s) =>
      s.post(
        s.casePath('contacts'),
        contactBody({ method: 'TELEPHONE', outcome: 'NO_ANSWER', occurredOn: daysAgo(1) }),
      ),
    )
    .then(
      expectResponse(201, { matches: { qualifying: false, revision: 3 } }),
      expectCase(() => ({
        lastQualifyingContactOn: daysAgo(2),
        softExitDueOn: addDays(daysAgo(2), 90),
      })),
    ),

  scenario('400: a missing required field lists the field')
    .given(aCase())
    .when((s) => {
      const { method: _m, ...body } = contactBody();
      return s.post(s.casePath('contacts'), body);
    })
    .then(
      expectProblem('validation', 400, (body) =>
        expect(body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'method' })]),
        ),
      ),
      expectNoNewEvents(),
    ),

  scenario('400: an unknown enum value')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ method: 'FAX' })))
    .then(
      expectProblem('validation', 400, (body) =>
        expect((body.errors as Body[])[0]).toMatchObject({ field: 'method' }),
      ),
      expectNoNewEvents(),
    ),

  scenario('400: an unknown field (whitelist)')
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ mood: 'happy' })))
    .then(expectProblem('validation', 400), expectNoNewEvents()),

  scenario('400: malformed JSON')
    .given(aCase())
    .when((s) =>
      s
        .http()
        .post(s.casePath('contacts'))
        .set('Authorization', `Bearer ${s.tokens.cm}`)
        .set('Content-Type', 'application/json')
        .send('{"method": "IN_PERSON",'),
    )
    .then(expectProblem('malformed-json', 400), expectNoNewEvents()),

  scenario('400: an impossible calendar date')
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: '2024-02-30' })))
    .then(expectProblem('validation', 400), expectNoNewEvents()),

  // Tomorrow in the area's zone: still plausible at the edge (which allows up
  // to UTC today + 1), so the domain judges it against the local date.
  scenario('BUSINESS_DATE: a contact dated in the future')
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: addDays(today(), 1) })))
    .then(expectProblem('BUSINESS_DATE', 400), expectNoNewEvents()),

  scenario('R4: an outcome the method cannot have')
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('contacts'), contactBody({ method: 'IN_PERSON', outcome: 'SENT' })),
    )
    .then(expectProblem('R4', 400), expectNoNewEvents()),

  scenario('R3: no contact without an active enrollment')
    .smoke()
    .given(anOpenCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(expectProblem('R3', 422), expectNoNewEvents()),

  scenario('R4: progress and justification must be substantive')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ progress: 'ok' })))
    .then(expectProblem('R4', 422), expectNoNewEvents()),

  // R6 v2: the ladder applies to telephone calls (in person, the provider counts).
  scenario('R6: the provider only when the customer was unavailable')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('contacts'), contactBody({ method: 'TELEPHONE', party: 'PROVIDER' })),
    )
    .then(expectProblem('R6', 422), expectNoNewEvents()),

  scenario('R7: a letter response counts only from the customer')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(
        s.casePath('contacts'),
        contactBody({
          method: 'LETTER',
          outcome: 'RESPONSE_RECEIVED',
          party: 'PROVIDER',
          customerUnavailable: true,
        }),
      ),
    )
    .then(expectProblem('R7', 422), expectNoNewEvents()),

  // R8 v2: past the deadline even the enrollment is refused, so none is given.
  scenario('R8: no entry once the soft-exit deadline has passed')
    .smoke()
    .given(anOpenCase({ openedOn: daysAgo(120) }))
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(expectProblem('R8', 422), expectNoNewEvents()),

  scenario('R17: a closed case accepts no further contacts')
    .smoke()
    .given(
      aCase(),
      aRequest((s) =>
        s.post(s.casePath('suspend'), { reason: 'CUSTOMER_WITHDREW', details: 'Left' }),
      ),
      aRequest((s) => s.post(s.casePath('suspension/approve'), {}, s.tokens.sup)),
    )
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(expectProblem('R17', 422), expectNoNewEvents()),

  scenario('R19: a follow-up contact needs recorded employment')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ followUp: true })))
    .then(expectProblem('R19', 422), expectNoNewEvents()),

  scenario('409: a contact id that already exists')
    .given(
      aCase(),
      aRequest((s) => s.post(s.casePath('contacts'), contactBody({ contactId: 'c-1' })), 201),
    )
    .when((s) => s.post(s.casePath('contacts'), contactBody({ contactId: 'c-1' })))
    .then(expectProblem('DUPLICATE_ID', 409), expectNoNewEvents()),
]);
