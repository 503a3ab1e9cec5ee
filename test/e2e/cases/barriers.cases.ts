import {
  aCase,
  aRequest,
  expectCase,
  expectEventCount,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  expectThat,
  scenario,
  useCase,
} from '../support/api-specification';
import { daysAgo } from '../support/case-requests';

const transportBarrier = aRequest((s) =>
  s.post(s.casePath('barriers'), {
    barrierId: 'b-1',
    category: 'TRANSPORTATION',
    description: 'No car, bus does not reach the training site',
    plan: 'Bus pass and car-pool list',
    identifiedOn: daysAgo(10),
  }),
);

/** POST …/barriers and …/barriers/{id}/overcome (R11: never deleted). */
export const barriers = useCase(__filename, 'identify and overcome a barrier', [
  scenario('R11: identifies a barrier: 201 with its id and the new revision')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('barriers'), {
        barrierId: 'b-1',
        category: 'TRANSPORTATION',
        description: 'No car, bus does not reach the training site',
        plan: 'Bus pass and car-pool list',
        identifiedOn: daysAgo(10),
      }),
    )
    .then(expectResponse(201, { body: { barrierId: 'b-1', revision: 2 } })),

  scenario('R11: records how a barrier was overcome')
    .smoke()
    .given(aCase(), transportBarrier)
    .when((s) =>
      s.post(s.casePath('barriers/b-1/overcome'), {
        how: 'Bus pass issued',
        overcomeOn: daysAgo(1),
      }),
    )
    .then(
      expectResponse(200),
      expectThat(async ({ scene }) => {
        const state = await scene.get(scene.casePath());
        expect((state.body as { barriers: unknown[] }).barriers).toEqual([
          expect.objectContaining({ barrierId: 'b-1', status: 'OVERCOME', how: 'Bus pass issued' }),
        ]);
      }),
    ),

  scenario('R11: there is no delete')
    .given(
      aCase(),
      transportBarrier,
      aRequest((s) =>
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
      expectResponse(404),
      expectEventCount(4),
      expectCase({ barriers: [{ barrierId: 'b-1', status: 'OVERCOME' }] }),
    ),

  scenario('R11: an overcome barrier stays overcome')
    .smoke()
    .given(
      aCase(),
      aRequest((s) =>
        s.post(s.casePath('barriers'), {
          barrierId: 'b-1',
          category: 'HOUSING',
          description: 'Temporary shelter',
          plan: 'Housing referral',
          identifiedOn: daysAgo(5),
        }),
      ),
      aRequest((s) =>
        s.post(s.casePath('barriers/b-1/overcome'), { how: 'Apartment', overcomeOn: daysAgo(1) }),
      ),
    )
    .when((s) =>
      s.post(s.casePath('barriers/b-1/overcome'), { how: 'Again', overcomeOn: daysAgo(1) }),
    )
    .then(expectProblem('R11', 422), expectNoNewEvents()),

  scenario('404: overcoming a barrier that does not exist')
    .given(aCase())
    .when((s) => s.post(s.casePath('barriers/nope/overcome'), { how: 'x', overcomeOn: daysAgo(1) }))
    .then(expectProblem('NOT_FOUND', 404), expectNoNewEvents()),
]);
