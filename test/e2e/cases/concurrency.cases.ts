import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { contactBody } from '../support/case-requests';

type Body = Record<string, unknown>;

/** Optimistic concurrency over HTTP: If-Match (412), parallel commands, a case that is not there. */
export const concurrency = useCase('change a case concurrently', [
  scenario('If-Match with the current revision is accepted and answers the new ETag')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody()).set('If-Match', '"1"'))
    .then(then.response(201, { headers: { etag: '"2"' } })),

  scenario('400: a malformed If-Match')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody()).set('If-Match', 'yesterday'))
    .then(then.problem('validation', 400), then.noNewEvents()),

  scenario('412: If-Match names a revision the case has moved past')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('contacts'), contactBody()).set('If-Match', '"0"'))
    .then(
      then.problem('stale-revision', 412, (body) => expect(body.currentRevision).toBe(1)),
      then.noNewEvents(),
    ),

  scenario('404: a command to a case that does not exist')
    .given(given.aCaseBody())
    .when((s) => s.post(s.casePath('contacts'), contactBody()))
    .then(then.problem('NOT_FOUND', 404), then.eventCount(0)),

  scenario('parallel commands on one case: every acknowledged contact is stored, none lost')
    .given(given.aCase())
    .when((s) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.post(s.casePath('contacts'), contactBody({ contactId: `par-${i}` })),
        ),
      ),
    )
    .then(
      then.that(async ({ scene, responses }) => {
        const acknowledged = responses
          .filter((r) => r.status === 201)
          .map((r) => (r.body as Body).contactId);
        for (const r of responses) expect([201, 409]).toContain(r.status);
        expect(acknowledged.length).toBeGreaterThan(0);
        const history = await scene.get(scene.casePath('history'), scene.tokens.auditor);
        const stored = (history.body as { events: Array<{ type: string; data: Body }> }).events
          .filter((e) => e.type === 'ContactRecorded')
          .map((e) => e.data.contactId);
        expect([...stored].sort()).toEqual([...acknowledged].sort());
        const revisions = responses
          .filter((r) => r.status === 201)
          .map((r) => (r.body as Body).revision);
        expect(new Set(revisions).size).toBe(revisions.length);
      }),
    ),
]);
