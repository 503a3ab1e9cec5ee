import { addDays } from '@caseledger/domain';
import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { contactBody, daysAgo, today } from '../support/case-requests';

type Body = Record<string, unknown>;

const qualifyingContactTwoDaysAgo = given.aRequest((s) =>
  s.post(s.casePath('contacts'), contactBody({ occurredOn: daysAgo(2) })),
);

/** POST …/contacts (R3–R8, R17, R19), and the edge's checks of its body. */
export const recordContact = useCase('record a contact', [
  scenario('R8: a qualifying contact moves the soft-exit date')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: daysAgo(2) })))
    .then(
      then.response(201, {
        matches: { qualifying: true, revision: 2, contactId: expect.any(String) as unknown },
      }),
      then.caseMatches(() => ({
        lastQualifyingContactOn: daysAgo(2),
        softExitDueOn: addDays(daysAgo(2), 90),
      })),
    ),

  scenario('R5: an unanswered call is recorded but does not move the soft-exit date')
    .smoke()
    .given(given.aCase(), qualifyingContactTwoDaysAgo)
    .when((s) =>
      s.post(
        s.casePath('contacts'),
        contactBody({ method: 'TELEPHONE', outcome: 'NO_ANSWER', occurredOn: daysAgo(1) }),
      ),
    )
    .then(
      then.response(201, { matches: { qualifying: false, revision: 3 } }),
      then.caseMatches(() => ({
        lastQualifyingContactOn: daysAgo(2),
        softExitDueOn: addDays(daysAgo(2), 90),
      })),
    ),

  scenario('400: a missing required field lists the field')
    .given(given.aCase())
    .when((s) => {
      const { method: _m, ...body } = contactBody();
      return s.post(s.casePath('contacts'), body);
    })
    .then(
      then.problem('validation', 400, (body) =>
        expect(body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'method' })]),
        ),
      ),
      then.noNewEvents(),
    ),

  scenario('400: an unknown enum value')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ method: 'FAX' })))
    .then(
      then.problem('validation', 400, (body) =>
        expect((body.errors as Body[])[0]).toMatchObject({ field: 'method' }),
      ),
      then.noNewEvents(),
    ),

  scenario('400: an unknown field (whitelist)')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ mood: 'happy' })))
    .then(then.problem('validation', 400), then.noNewEvents()),

  scenario('400: malformed JSON')
    .given(given.aCase())
    .when((s) =>
      s
        .http()
        .post(s.casePath('contacts'))
        .set('Authorization', `Bearer ${s.tokens.cm}`)
        .set('Content-Type', 'application/json')
        .send('{"method": "IN_PERSON",'),
    )
    .then(then.problem('malformed-json', 400), then.noNewEvents()),

  scenario('400: an impossible calendar date')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: '2024-02-30' })))
    .then(then.problem('validation', 400), then.noNewEvents()),

  // Tomorrow in the area's zone: still plausible at the edge (which allows up
  // to UTC today + 1), so the domain judges it against the local date.
  scenario('BUSINESS_DATE: a contact dated in the future')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ occurredOn: addDays(today(), 1) })))
    .then(then.problem('BUSINESS_DATE', 400), then.noNewEvents()),

  scenario('R4: an outcome the method cannot have')
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('contacts'), contactBody({ method: 'IN_PERSON', outcome: 'SENT' })),
    )
    .then(then.problem('R4', 400), then.noNewEvents()),

  scenario('R3: no contact without an active enrollment')
    .smoke()
    .given(given.anOpenCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(then.problem('R3', 422), then.noNewEvents()),

  scenario('R4: progress and justification must be substantive')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ progress: 'ok' })))
    .then(then.problem('R4', 422), then.noNewEvents()),

  // R6 v2: the ladder applies to telephone calls (in person, the provider counts).
  scenario('R6: the provider only when the customer was unavailable')
    .smoke()
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('contacts'), contactBody({ method: 'TELEPHONE', party: 'PROVIDER' })),
    )
    .then(then.problem('R6', 422), then.noNewEvents()),

  scenario('R7: a letter response counts only from the customer')
    .smoke()
    .given(given.aCase())
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
    .then(then.problem('R7', 422), then.noNewEvents()),

  // R8 v2: past the deadline even the enrollment is refused, so none is given.
  scenario('R8: no entry once the soft-exit deadline has passed')
    .smoke()
    .given(given.anOpenCase({ openedOn: daysAgo(120) }))
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(then.problem('R8', 422), then.noNewEvents()),

  scenario('R17: a closed case accepts no further contacts')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest((s) =>
        s.post(s.casePath('suspend'), { reason: 'CUSTOMER_WITHDREW', details: 'Left' }),
      ),
      given.aRequest((s) => s.post(s.casePath('suspension/approve'), {}, s.tokens.sup)),
    )
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(then.problem('R17', 422), then.noNewEvents()),

  scenario('R19: a follow-up contact needs recorded employment')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody({ followUp: true })))
    .then(then.problem('R19', 422), then.noNewEvents()),

  scenario('409: a contact id that already exists')
    .given(
      given.aCase(),
      given.aRequest((s) => s.post(s.casePath('contacts'), contactBody({ contactId: 'c-1' })), 201),
    )
    .when((s) => s.post(s.casePath('contacts'), contactBody({ contactId: 'c-1' })))
    .then(then.problem('DUPLICATE_ID', 409), then.noNewEvents()),
]);
