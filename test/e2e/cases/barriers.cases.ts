import { scenario, useCase, type Scene } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { daysAgo } from '../support/case-requests';

const identifyTransportBarrier = (s: Scene) =>
  s.post(s.casePath('barriers'), {
    barrierId: 'b-1',
    category: 'TRANSPORTATION',
    description: 'No car, bus does not reach the training site',
    plan: 'Bus pass and car-pool list',
    identifiedOn: daysAgo(10),
  });
const transportBarrier = given.aRequest(identifyTransportBarrier);

/** POST …/barriers and …/barriers/{id}/overcome (R11: never deleted). */
export const barriers = useCase('identify and overcome a barrier', [
  scenario('R11: identifies a barrier: 201 with its id and the new revision')
    .smoke()
    .given(given.aCase())
    .when(identifyTransportBarrier)
    .then(then.response(201, { body: { barrierId: 'b-1', revision: 2 } })),

  scenario('R11: records how a barrier was overcome')
    .smoke()
    .given(given.aCase(), transportBarrier)
    .when((s) =>
      s.post(s.casePath('barriers/b-1/overcome'), {
        how: 'Bus pass issued',
        overcomeOn: daysAgo(1),
      }),
    )
    .then(
      then.response(200),
      then.that(async ({ scene }) => {
        const state = await scene.get(scene.casePath());
        expect((state.body as { barriers: unknown[] }).barriers).toEqual([
          expect.objectContaining({ barrierId: 'b-1', status: 'OVERCOME', how: 'Bus pass issued' }),
        ]);
      }),
    ),

  scenario('R11: there is no delete')
    .given(
      given.aCase(),
      transportBarrier,
      given.aRequest((s) =>
        s.post(s.casePath('barriers/b-1/overcome'), {
          how: 'Bus pass issued',
          overcomeOn: daysAgo(1),
        }),
      ),
    )
    .when((s) =>
      s.http().delete(s.casePath('barriers/b-1')).set('Authorization', `Bearer ${s.tokens.cm}`),
    )
    .then(
      then.response(404),
      then.eventCount(4),
      then.caseMatches({ barriers: [{ barrierId: 'b-1', status: 'OVERCOME' }] }),
    ),

  scenario('R11: an overcome barrier stays overcome')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest((s) =>
        s.post(s.casePath('barriers'), {
          barrierId: 'b-1',
          category: 'HOUSING',
          description: 'Temporary shelter',
          plan: 'Housing referral',
          identifiedOn: daysAgo(5),
        }),
      ),
      given.aRequest((s) =>
        s.post(s.casePath('barriers/b-1/overcome'), { how: 'Apartment', overcomeOn: daysAgo(1) }),
      ),
    )
    .when((s) =>
      s.post(s.casePath('barriers/b-1/overcome'), { how: 'Again', overcomeOn: daysAgo(1) }),
    )
    .then(then.problem('R11', 422), then.noNewEvents()),

  scenario('404: overcoming a barrier that does not exist')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('barriers/nope/overcome'), { how: 'x', overcomeOn: daysAgo(1) }))
    .then(then.problem('NOT_FOUND', 404), then.noNewEvents()),
]);
