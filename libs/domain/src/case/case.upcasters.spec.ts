import { caseOpened, contactRecorded, day } from '../testing';
import {
  CURRENT_SCHEMA_VERSION,
  UpcastError,
  createUpcaster,
  upcast,
  type UpcasterRegistry,
} from './case.upcasters';
import { foldCase } from './case.state';

/**
 * A test-only history of ContactRecorded: v1 kept one `notes` text, v2 split it
 * into progress and justification (R4), v3 added the `qualifying` flag (R5).
 */
const registry: UpcasterRegistry = {
  currentVersions: { ...CURRENT_SCHEMA_VERSION, ContactRecorded: 3 },
  steps: {
    ContactRecorded: {
      1: ({ notes, ...rest }) => ({ ...rest, progress: notes, justification: notes }),
      2: (data) => ({ ...data, qualifying: true }),
    },
  },
};
const upcastV3 = createUpcaster(registry);

const v1Data = {
  contactId: 'c-1',
  method: 'IN_PERSON',
  party: 'CUSTOMER',
  outcome: 'REACHED',
  occurredOn: day(10),
  notes: 'Attends every class; on track for the certificate.',
};

describe('event upcasting', () => {
  it('v2: the decisions and the policy-carrying events are at version 2, the rest at 1', () => {
    const atTwo = Object.entries(CURRENT_SCHEMA_VERSION)
      .filter(([, v]) => v === 2)
      .map(([t]) => t)
      .sort();
    expect(atTwo).toEqual(['CaseClosed', 'CaseOpened', 'CaseSoftExited', 'CaseTransferred']);
    expect(Object.values(CURRENT_SCHEMA_VERSION).every((v) => v === 1 || v === 2)).toBe(true);
    expect(Object.keys(CURRENT_SCHEMA_VERSION)).toHaveLength(25);
  });

  it('a current event reads back unchanged', () => {
    const event = contactRecorded({ on: day(3) });
    expect(upcast({ type: event.type, schemaVersion: 1, data: event.data })).toEqual(event);
  });

  it('an old event is lifted through every step in order, and the stored data is not touched', () => {
    const stored = Object.freeze({
      type: 'ContactRecorded',
      schemaVersion: 1,
      data: Object.freeze({ ...v1Data }),
    });
    const event = upcastV3(stored);
    expect(event).toEqual({
      type: 'ContactRecorded',
      data: {
        contactId: 'c-1',
        method: 'IN_PERSON',
        party: 'CUSTOMER',
        outcome: 'REACHED',
        occurredOn: day(10),
        progress: v1Data.notes,
        justification: v1Data.notes,
        qualifying: true,
      },
    });
    expect(stored.data).toEqual(v1Data);
    // The lifted event folds like one written today (R8: it resets the clock).
    const state = foldCase([caseOpened({ on: day(0) }), event]);
    expect(state.lastQualifyingContactOn).toBe(day(10));
    expect(state.softExitDueOn).toBe(day(100));
  });

  it('a middle version takes only the steps it is behind', () => {
    const { notes, ...rest } = v1Data;
    const event = upcastV3({
      type: 'ContactRecorded',
      schemaVersion: 2,
      data: { ...rest, progress: notes, justification: 'Different justification text.' },
    });
    expect(event.data).toMatchObject({
      justification: 'Different justification text.',
      qualifying: true,
    });
  });

  it('refuses unknown types, versions newer than the code, invalid versions and missing steps', () => {
    expect(() => upcast({ type: 'CaseDeleted', schemaVersion: 1, data: {} })).toThrow(
      new UpcastError('unknown event type CaseDeleted'),
    );
    expect(() => upcast({ type: 'toString', schemaVersion: 1, data: {} })).toThrow(UpcastError);
    expect(() => upcast({ type: 'CaseOpened', schemaVersion: 3, data: {} })).toThrow(
      /newer than this code knows/,
    );
    expect(() => upcast({ type: 'CaseOpened', schemaVersion: 0, data: {} })).toThrow(
      /invalid schema version/,
    );
    expect(() => upcast({ type: 'CaseOpened', schemaVersion: 1, data: null })).toThrow(
      /data must be an object/,
    );
    const gappy = createUpcaster({
      currentVersions: { ContactRecorded: 3 },
      steps: { ContactRecorded: { 2: (d) => d } },
    });
    expect(() => gappy({ type: 'ContactRecorded', schemaVersion: 1, data: v1Data })).toThrow(
      'ContactRecorded: no upcaster from schema version 1',
    );
  });
});
