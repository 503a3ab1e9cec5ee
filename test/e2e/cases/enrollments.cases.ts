import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { daysAgo, enrollmentBody } from '../support/case-requests';

const enrollment = given.aRequest((s) =>
  s.post(s.casePath('enrollments'), enrollmentBody({ enrollmentId: 'en-1' })),
);

/** POST …/enrollments and …/enrollments/{id}/end (R3, R18). */
export const enrollments = useCase('enroll in an activity', [
  scenario('enrolls: 201 with the enrollment id and the new revision')
    .smoke()
    .given(given.anOpenCase())
    .when((s) => s.post(s.casePath('enrollments'), enrollmentBody({ enrollmentId: 'en-1' })))
    .then(then.response(201, { body: { enrollmentId: 'en-1', revision: 1 } })),

  scenario('ends an enrollment: 200 with the new revision; GET shows its outcome')
    .smoke()
    .given(given.anOpenCase(), enrollment)
    .when((s) =>
      s.post(s.casePath('enrollments/en-1/end'), { endDate: daysAgo(2), outcome: 'COMPLETED' }),
    )
    .then(
      then.response(200, { body: { revision: 2 } }),
      then.caseMatches({ enrollments: [{ enrollmentId: 'en-1', outcome: 'COMPLETED' }] }),
    ),

  scenario('R18: records reading and math scores, then training is accepted')
    .smoke()
    .given(
      given.aCase(),
      ...['READING', 'MATH'].map((kind) =>
        given.aRequest((s) =>
          s.post(s.casePath('assessments'), {
            kind,
            instrument: 'TABE',
            administeredOn: daysAgo(3),
            score: '560',
            summary: `${kind} at grade level 9`,
          }),
        ),
      ),
    )
    .when((s) =>
      s.post(
        s.casePath('enrollments'),
        enrollmentBody({ activityType: 'TRAINING', activityName: 'CDL', startDate: daysAgo(1) }),
      ),
    )
    .then(
      then.that(({ scene }) => {
        for (const answer of scene.answers.slice(-2)) {
          expect(answer.status).toBe(201);
          expect((answer.body as { assessmentId: unknown }).assessmentId).toEqual(
            expect.any(String),
          );
        }
      }),
      then.response(201),
    ),

  scenario('R18: training for an adult needs reading and math scores first')
    .smoke()
    .given(given.anOpenCase())
    .when((s) => s.post(s.casePath('enrollments'), enrollmentBody({ activityType: 'TRAINING' })))
    .then(then.problem('R18', 422), then.noNewEvents()),

  scenario('404: ending an enrollment that does not exist')
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('enrollments/nope/end'), { endDate: daysAgo(1), outcome: 'OTHER' }),
    )
    .then(then.problem('NOT_FOUND', 404), then.noNewEvents()),
]);
