import type { CaseEvent } from '@caseledger/domain';
import type { Expected } from '@caseledger/domain/testing';
import type { RecordedEvent } from '@caseledger/event-store';
import { projectCaseloadBatch, type CaseloadEntry } from '../caseload/caseload.projection';
import { caseloadRowOf, type CaseloadRow } from '../caseload/caseload.row';
import { FakePositions } from './case-events';

type Step = { caseId: string; event: CaseEvent } | RecordedEvent;

const isRecorded = (s: Step): s is RecordedEvent => 'streamId' in s;

/**
 * Given/when/then for the caseload projection (after oskardudycz's
 * `samples/decider` helper): `given` builds the stored rows, `when` applies one
 * batch, `then` checks the rows, `thenNotUpdated` checks the batch changed nothing.
 */
export function caseloadSpec() {
  const positions = new FakePositions();
  const history: RecordedEvent[] = [];
  const record = (steps: Step[]): RecordedEvent[] =>
    steps.map((s) => (isRecorded(s) ? s : positions.record(s.caseId, s.event)));

  const api = {
    given(...steps: Step[]) {
      history.push(...record(steps));
      return api;
    },
    /** The stored events so far (to replay them in `when`). */
    recorded: (): RecordedEvent[] => [...history],
    when(...steps: Step[]) {
      const stored = new Map<string, CaseloadEntry>();
      // The given events, applied one batch per event like a slow projector would.
      for (const event of history) {
        for (const [id, entry] of projectCaseloadBatch(stored, [event])) stored.set(id, entry);
      }
      const batch = record(steps);
      const changed = projectCaseloadBatch(stored, batch);
      const rows = (): Map<string, CaseloadRow | null> => {
        const all = new Map(stored);
        for (const [id, entry] of changed) all.set(id, entry);
        return new Map([...all].map(([id, e]) => [id, caseloadRowOf(e.state)]));
      };
      return {
        then(expected: Record<string, Expected<CaseloadRow>>) {
          const actual = rows();
          for (const [caseId, fields] of Object.entries(expected)) {
            expect(actual.get(caseId)).toMatchObject(fields);
          }
        },
        thenNotUpdated() {
          expect([...changed.keys()]).toEqual([]);
        },
        rows,
      };
    },
  };
  return api;
}
