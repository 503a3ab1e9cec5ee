import { PERSONAL_DATA_DISPOSED } from '@caseledger/domain';
import type {
  AppendOptions,
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadStreamOptions,
  RecordedEvent,
  StoredIdempotencyRecord,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '@caseledger/event-store';
import { envelopeAad, isEnvelope, open, seal } from './envelope';
import { hasPersonalFields, mapPersonalFields } from './personal-fields';
import type { PersonalDataKeys } from './personal-data-keys';

const CASE_STREAM = 'case-';

/**
 * A decorator around the EventStore port (README "Personal data"): appends
 * encrypt each personal field under the customer's data key before the
 * adapter sees the event, so the stored form — and the hash chain, the signed
 * checkpoints and the export, which all cover it — holds only ciphertext;
 * reads decrypt for the caller (every reader of a case is already authorised
 * by R13). A field whose key was destroyed reads as PERSONAL_DATA_DISPOSED.
 * Verification needs no key: `verify` and `stored` go to the adapter as is.
 */
export class PersonalDataEventStore implements EventStore {
  /** case stream → the data key its personal fields are under. */
  private readonly streamKeys = new Map<string, string>();
  readonly findIdempotencyRecord?: (
    scope: string,
    key: string,
  ) => Promise<StoredIdempotencyRecord | undefined>;
  readonly purgeIdempotencyRecords?: (olderThan: Date) => Promise<number>;

  constructor(
    /** The adapter: the stored (encrypted) form, for verification and exports. */
    readonly stored: EventStore,
    readonly keys: PersonalDataKeys,
  ) {
    if (stored.findIdempotencyRecord)
      this.findIdempotencyRecord = stored.findIdempotencyRecord.bind(stored);
    if (stored.purgeIdempotencyRecords)
      this.purgeIdempotencyRecords = stored.purgeIdempotencyRecords.bind(stored);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (!streamId.startsWith(CASE_STREAM) || !events.some((e) => hasPersonalFields(e.type)))
      return this.stored.append(streamId, events, expected, options);
    const { keyId, key } = await this.keyOfStream(streamId, events);
    const sealed = events.map((event) => ({
      ...event,
      data: mapPersonalFields(event.type, event.data, (value, path) => {
        if (typeof value !== 'string' || value === '') return value;
        // A disposal recorded after its key is gone (a resumed disposal) keeps nothing.
        if (key === null) return PERSONAL_DATA_DISPOSED;
        return seal(key, value, envelopeAad(streamId, path, keyId), keyId);
      }),
    }));
    return this.stored.append(streamId, sealed, expected, options);
  }

  /** The customer key of a case stream: from its CaseOpened, or the stream's first event. */
  private async keyOfStream(
    streamId: string,
    events: readonly NewEvent[],
  ): Promise<{ keyId: string; key: Buffer | null }> {
    const opened = events.find((e) => e.type === 'CaseOpened');
    const customerId = (opened?.data as { customer?: { id?: unknown } } | undefined)?.customer?.id;
    if (typeof customerId === 'string') return this.register(streamId, customerId);
    const known = this.streamKeys.get(streamId);
    if (known) return { keyId: known, key: await this.keys.dataKey(known) };
    const [first] = await this.stored.readStream(streamId);
    const stored = (first?.data as { customer?: { id?: unknown } } | undefined)?.customer?.id;
    if (isEnvelope(stored)) {
      this.streamKeys.set(streamId, stored.kid);
      return { keyId: stored.kid, key: await this.keys.dataKey(stored.kid) };
    }
    // Migration: a stream opened in clear gets its customer's key for the events from now on.
    if (typeof stored === 'string') return this.register(streamId, stored);
    throw new Error(`${streamId} has no CaseOpened: its customer (and data key) is unknown`);
  }

  private async register(
    streamId: string,
    customerId: string,
  ): Promise<{ keyId: string; key: Buffer }> {
    const found = await this.keys.keyForCustomer(customerId);
    // Before the append: disposal must find every stream that may hold this key's ciphertext.
    await this.keys.registerStream(streamId, found.keyId);
    this.streamKeys.set(streamId, found.keyId);
    return found;
  }

  /** Decrypted copies (events without personal fields are passed as they are). */
  async decrypt(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const keyIds = new Set<string>();
    for (const event of events) {
      if (!hasPersonalFields(event.type)) continue;
      mapPersonalFields(event.type, event.data, (value) => {
        if (isEnvelope(value)) {
          keyIds.add(value.kid);
          this.streamKeys.set(event.streamId, value.kid);
        }
        return value;
      });
    }
    if (keyIds.size === 0) return events;
    const keys = await this.keys.dataKeys(keyIds);
    return events.map((event) => {
      if (!hasPersonalFields(event.type)) return event;
      const data = mapPersonalFields(event.type, event.data, (value, path) => {
        if (!isEnvelope(value)) return value;
        const key = keys.get(value.kid);
        if (!key) return PERSONAL_DATA_DISPOSED;
        return open(key, value, envelopeAad(event.streamId, path, value.kid));
      });
      return data === event.data ? event : { ...event, data };
    });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.decrypt(await this.stored.readStream(streamId, options));
  }

  /** Decrypted in one pass over every stream's events (one key lookup per customer). */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const stored = await this.stored.readStreams(streamIds);
    const decrypted = await this.decrypt([...stored.values()].flat());
    const streams = new Map<string, RecordedEvent[]>();
    for (const id of stored.keys()) streams.set(id, []);
    for (const event of decrypted) streams.get(event.streamId)!.push(event);
    return streams;
  }

  async readAll(from: Position | undefined, limit: number): Promise<RecordedEvent[]> {
    return this.decrypt(await this.stored.readAll(from, limit));
  }

  subscribe(handler: BatchHandler, options?: SubscribeOptions): Subscription {
    return this.stored.subscribe(async (events) => handler(await this.decrypt(events)), options);
  }

  verify(streamId: string): Promise<VerifyResult> {
    return this.stored.verify(streamId);
  }

  headPosition(): Promise<Position | undefined> {
    return this.stored.headPosition();
  }

  ping(): Promise<void> {
    return this.stored.ping();
  }

  close(): Promise<void> {
    return this.stored.close();
  }
}

/** The stored (encrypted) form of a store: what hashes, checkpoints and exports cover. */
export const storedForm = (store: EventStore): EventStore =>
  store instanceof PersonalDataEventStore ? store.stored : store;
