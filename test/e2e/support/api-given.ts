import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { CURRENT_SCHEMA_VERSION, caseStreamId, type CaseEvent } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import { EVENT_STORE } from '@caseledger/platform';
import { requireCase, type GivenStep, type Response, type Scene } from './api-specification';
import { daysAgo, enrollmentBody, openCaseBody } from './case-requests';

/**
 * The given steps of the HTTP specification (api-specification.ts), imported
 * as one namespace: `.given(given.aCase(), given.aRequest(…))`.
 */

type Body = Record<string, unknown>;

/** The body of a case not opened yet (the case the `when` request opens). */
export const aCaseBody =
  (overrides: Body = {}): GivenStep =>
  (scene) => {
    scene.openBody = openCaseBody(overrides);
    scene.caseId = scene.openBody.caseId as string;
    return Promise.resolve();
  };

/** An open case, no enrollment. */
export const anOpenCase =
  (overrides: Body = {}): GivenStep =>
  async (scene) => {
    await aCaseBody(overrides)(scene);
    await sent(scene, scene.post('/api/v1/cases', scene.openBody), 201);
  };

/** An open case with an active job-search enrollment since it opened (R3 satisfied). */
export const aCase =
  (overrides: Body = {}): GivenStep =>
  async (scene) => {
    await anOpenCase(overrides)(scene);
    await sent(
      scene,
      scene.post(
        scene.casePath('enrollments'),
        enrollmentBody({ startDate: overrides.openedOn ?? daysAgo(30) }),
      ),
      201,
    );
  };

/** A pending goal `goal-1` on the scenario's case (what R15 looks at). */
export const aPendingGoal = (): GivenStep =>
  aRequest((s) => s.post(s.casePath('goals'), { goalId: 'goal-1', statement: 'A job' }), 201);

/** Any request that must succeed (2xx), or answer `status`. */
export const aRequest =
  (send: (scene: Scene) => request.Test, status?: number): GivenStep =>
  async (scene) => {
    await sent(scene, send(scene), status);
  };

/**
 * Events appended straight to the case's stream, as another process (a
 * migration, an older version) would have left them; the app reads them as
 * it reads its own.
 */
export const eventsInStream =
  (events: (scene: Scene) => readonly CaseEvent[]): GivenStep =>
  async (scene) => {
    const store = scene.api.app.get<EventStore>(EVENT_STORE);
    const streamId = caseStreamId(requireCase(scene));
    const existing = await store.readStream(streamId);
    const commandId = randomUUID();
    await store.append(
      streamId,
      events(scene).map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          commandId,
          correlationId: commandId,
          causationId: commandId,
          actor: { staffId: 'staff-cm-1', role: 'case_manager', careerCenterId: 'cc-1' },
          schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
        },
      })),
      existing.length === 0 ? 'no-stream' : existing.length - 1,
    );
  };

async function sent(scene: Scene, req: PromiseLike<Response>, status?: number): Promise<void> {
  const res = await req;
  if (status === undefined) expect(res.status).toBeLessThan(300);
  else expect(res.status).toBe(status);
  scene.answers.push(res);
}
