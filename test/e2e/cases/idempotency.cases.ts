import { type Scene, scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { contactBody } from '../support/case-requests';

const contactWithKey = (s: Scene, key: string, token?: string) =>
  s.post(s.casePath('contacts'), contactBody(), token).set('Idempotency-Key', key);

/** The Idempotency-Key header: same key and body, same answer and no new events. */
export const idempotency = useCase('repeat a command with an Idempotency-Key', [
  scenario('the same key and body give the same answer and one set of events')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest((s) => contactWithKey(s, 'key-contact-1'), 201),
    )
    .when((s) => contactWithKey(s, 'key-contact-1'))
    .then(
      then.that(({ scene, response }) => {
        const first = scene.answers[scene.answers.length - 1];
        expect(response.status).toBe(201);
        expect(response.body).toEqual(first.body);
        expect(response.headers['idempotent-replayed']).toBe('true');
        expect(response.headers.location).toBe(first.headers.location);
      }),
      then.eventCount(3),
    ),

  scenario('concurrent duplicates of one key append once')
    .given(given.aCase())
    .when((s) => Promise.all(Array.from({ length: 5 }, () => contactWithKey(s, 'key-burst'))))
    .then(
      then.that(({ responses }) => {
        for (const res of responses) expect(res.status).toBe(201);
        expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
      }),
      then.eventCount(3),
    ),

  scenario('the same key with another body is 422 and appends nothing')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest((s) => contactWithKey(s, 'key-2'), 201),
    )
    .when((s) =>
      s
        .post(
          s.casePath('contacts'),
          contactBody({ progress: 'A different progress note, long enough.' }),
        )
        .set('Idempotency-Key', 'key-2'),
    )
    .then(then.problem('idempotency-key-reused', 422), then.noNewEvents()),

  scenario('keys are scoped per actor')
    .given(
      given.aCase(),
      given.aRequest((s) => contactWithKey(s, 'shared'), 201),
    )
    .when((s) => contactWithKey(s, 'shared', s.tokens.sup))
    .then(
      then.that(({ response }) => expect(response.status).toBe(201)),
      then.eventCount(4),
    ),

  scenario('400: a malformed Idempotency-Key')
    .given(given.aCase())
    .when((s) => contactWithKey(s, 'a b'))
    .then(then.problem('validation', 400), then.noNewEvents()),
]);
