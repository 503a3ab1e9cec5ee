import { Readable } from 'node:stream';
import {
  EsdbEventStore,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type EsdbClient,
} from './esdb.event-store';
import {
  ConcurrencyError,
  EventStoreUnavailableError,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port';
import { computeEventHash } from './hash-chain';

/**
 * The EventStoreDB adapter against a stand-in for its client: the one mock the
 * project allows, since no EventStoreDB server runs here. It pins the
 * translations the contract run cannot check without a server: expected
 * revisions, event ids, metadata and hash chain, positions, and error mapping.
 */

interface StoredEvent {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  position: { commit: bigint; prepare: bigint };
}

const resolved = (event: StoredEvent) => ({
  event: { ...event, isJson: true, created: new Date() },
  commitPosition: event.position.commit,
});

async function* iterate<T>(items: T[], error?: Error): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
  if (error) throw error;
}

const newEvent = (id: string, data: Record<string, unknown> = { a: 1 }): NewEvent => ({
  eventId: id,
  type: 'ThingHappened',
  data,
  metadata: {
    commandId: 'cmd-1',
    correlationId: 'cor-1',
    causationId: 'cau-1',
    actor: { staffId: 's-1', role: 'case_manager', careerCenterId: 'cc-1' },
    schemaVersion: 1,
  },
});

/** A stored event written the way the adapter writes it (chain in metadata). */
function chained(
  streamId: string,
  revision: number,
  previousHash: string,
  commit: bigint,
): StoredEvent {
  const metadata = {
    commandId: 'cmd-0',
    correlationId: 'cor-0',
    causationId: 'cau-0',
    actor: { staffId: 's-0', role: 'case_manager', careerCenterId: 'cc-1' },
    schemaVersion: 1,
    eventId: `00000000-0000-4000-8000-00000000000${revision}`,
    recordedAt: `2024-01-0${revision + 1}T00:00:00.000Z`,
  };
  const data = { revision };
  const hash = computeEventHash(previousHash, { type: 'ThingHappened', data, metadata });
  return {
    streamId,
    revision: BigInt(revision),
    id: metadata.eventId,
    type: 'ThingHappened',
    data,
    metadata: { ...metadata, hash, previousHash },
    position: { commit, prepare: commit },
  };
}

function client(parts: Partial<Record<keyof EsdbClient, jest.Mock>>): EsdbClient {
  const fake: unknown = {
    appendToStream: jest.fn(),
    readStream: jest.fn(() => iterate([])),
    readAll: jest.fn(() => iterate([])),
    subscribeToAll: jest.fn(),
    dispose: jest.fn(() => Promise.resolve()),
    ...parts,
  };
  return fake as EsdbClient;
}

describe('EventStoreDB adapter (client stand-in)', () => {
  const first = chained('case-1', 0, '', 100n);
  const second = chained('case-1', 1, first.metadata.hash as string, 200n);

  it('appends at an exact revision with that revision as a BigInt, our event ids, and hashes chained on the event at that revision', async () => {
    const appendToStream = jest.fn(() =>
      Promise.resolve({
        success: true,
        nextExpectedRevision: 3n,
        position: { commit: 900n, prepare: 899n },
      }),
    );
    const readStream = jest.fn(() => iterate([resolved(second)]));
    const store = new EsdbEventStore(client({ appendToStream, readStream }));

    const result = await store.append('case-1', [newEvent('e-1'), newEvent('e-2', { b: 2 })], 1);

    expect(result).toEqual({ nextRevision: 3, position: { commit: 900n, prepare: 899n } });
    expect(readStream).toHaveBeenCalledWith(
      'case-1',
      expect.objectContaining({ fromRevision: 1n, maxCount: 1 }),
    );
    const [stream, sent, options] = appendToStream.mock.calls[0] as unknown as [
      string,
      Array<{ id: string; type: string; data: unknown; metadata: Record<string, unknown> }>,
      { streamState: unknown },
    ];
    expect(stream).toBe('case-1');
    expect(options.streamState).toBe(1n);
    expect(sent.map((event) => event.id)).toEqual(['e-1', 'e-2']);
    const [m1, m2] = sent.map((event) => event.metadata);
    expect(m1).toMatchObject({
      eventId: 'e-1',
      commandId: 'cmd-1',
      previousHash: second.metadata.hash,
    });
    const { hash: h1, previousHash: _p1, ...content1 } = m1;
    expect(h1).toBe(
      computeEventHash(second.metadata.hash as string, {
        type: 'ThingHappened',
        data: { a: 1 },
        metadata: content1,
      }),
    );
    expect(m2.previousHash).toBe(h1);
    expect(Number.isNaN(Date.parse(m1.recordedAt as string))).toBe(false);
  });

  it("appends to a new stream with the client's no-stream state and an empty predecessor hash", async () => {
    const appendToStream = jest.fn(() =>
      Promise.resolve({
        success: true,
        nextExpectedRevision: 0n,
        position: { commit: 5n, prepare: 5n },
      }),
    );
    const store = new EsdbEventStore(client({ appendToStream }));
    await expect(store.append('case-2', [newEvent('e-1')], 'no-stream')).resolves.toEqual({
      nextRevision: 0,
      position: { commit: 5n, prepare: 5n },
    });
    const [, sent, options] = appendToStream.mock.calls[0] as unknown as [
      string,
      Array<{ metadata: Record<string, unknown> }>,
      { streamState: unknown },
    ];
    expect(options.streamState).toBe('no_stream');
    expect(sent[0].metadata.previousHash).toBe('');
  });

  it("'any' chains on the stream's last event and pins that revision, so nobody slips in between", async () => {
    const appendToStream = jest.fn(() =>
      Promise.resolve({
        success: true,
        nextExpectedRevision: 2n,
        position: { commit: 7n, prepare: 7n },
      }),
    );
    const readStream = jest.fn(() => iterate([resolved(second)]));
    const store = new EsdbEventStore(client({ appendToStream, readStream }));
    await store.append('case-1', [newEvent('e-9')], 'any');
    expect(readStream).toHaveBeenCalledWith(
      'case-1',
      expect.objectContaining({ direction: 'backwards', fromRevision: 'end' }),
    );
    const options = (
      appendToStream.mock.calls[0] as unknown as [string, unknown, { streamState: unknown }]
    )[2];
    expect(options.streamState).toBe(1n);
  });

  it('WrongExpectedVersionError becomes ConcurrencyError naming the stream, expected and actual revisions', async () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'case-1',
      expected: 0n,
      current: 4n,
    });
    const store = new EsdbEventStore(
      client({
        appendToStream: jest.fn(() => Promise.reject(wrong)),
        readStream: jest.fn(() => iterate([resolved(first)])),
      }),
    );
    const failure = store.append('case-1', [newEvent('e-1')], 0);
    await expect(failure).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(failure).rejects.toMatchObject({
      streamId: 'case-1',
      expected: '0',
      actual: '4',
      kind: 'conflict',
    });
  });

  it('an unreachable server — a plain error with gRPC code 14, or UnavailableError — becomes EventStoreUnavailableError', async () => {
    const plain = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
    });
    const onAppend = new EsdbEventStore(
      client({
        appendToStream: jest.fn(() => Promise.reject(plain)),
        readStream: jest.fn(() => iterate([])),
      }),
    );
    await expect(onAppend.append('case-1', [newEvent('e-1')], 'no-stream')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );

    const unavailable = new UnavailableError({
      code: 14,
      message: 'unavailable',
      details: '',
    } as never);
    const onRead = new EsdbEventStore(client({ readAll: jest.fn(() => iterate([], unavailable)) }));
    await expect(onRead.readAll(undefined, 10)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(onRead.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(onRead.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('reads a stream as our events: chain out of metadata, positions from the client, [] for a missing stream, recordedUntil on our recordedAt', async () => {
    const store = new EsdbEventStore(
      client({ readStream: jest.fn(() => iterate([resolved(first), resolved(second)])) }),
    );
    const events = await store.readStream('case-1');
    expect(events.map((event) => event.revision)).toEqual([0, 1]);
    expect(events[1]).toMatchObject<Partial<RecordedEvent>>({
      streamId: 'case-1',
      eventId: second.id,
      position: { commit: 200n, prepare: 200n },
      hash: second.metadata.hash as string,
      previousHash: first.metadata.hash as string,
    });
    expect(events[1].metadata).not.toHaveProperty('hash');
    expect(await store.verify('case-1')).toEqual({ valid: true, eventCount: 2 });

    const asOf = await store.readStream('case-1', {
      recordedUntil: new Date('2024-01-01T12:00:00Z'),
    });
    expect(asOf.map((event) => event.revision)).toEqual([0]);

    const missing = new EsdbEventStore(
      client({
        readStream: jest.fn(() => iterate([], new StreamNotFoundError(undefined, 'case-x'))),
      }),
    );
    expect(await missing.readStream('case-x')).toEqual([]);
  });

  it('readStreams reads each asked stream once (concurrently, no multi-stream read in EventStoreDB), [] for a missing one', async () => {
    const other = chained('case-2', 0, '', 300n);
    const readStream = jest.fn((streamId: string) => {
      if (streamId === 'case-1') return iterate([resolved(first), resolved(second)]);
      if (streamId === 'case-2') return iterate([resolved(other)]);
      return iterate([], new StreamNotFoundError(undefined, streamId));
    });
    const store = new EsdbEventStore(client({ readStream }));
    const streams = await store.readStreams(['case-2', 'case-1', 'case-x', 'case-1']);
    expect([...streams.keys()]).toEqual(['case-2', 'case-1', 'case-x']);
    expect(streams.get('case-1')!.map((event) => event.revision)).toEqual([0, 1]);
    expect(streams.get('case-2')!.map((event) => event.eventId)).toEqual([other.id]);
    expect(streams.get('case-x')).toEqual([]);
    expect(readStream.mock.calls.map(([streamId]) => streamId).sort()).toEqual([
      'case-1',
      'case-2',
      'case-x',
    ]);
  });

  it('verify reports the first revision whose stored content no longer matches its hash', async () => {
    const altered = { ...second, data: { revision: 99 } };
    const store = new EsdbEventStore(
      client({ readStream: jest.fn(() => iterate([resolved(first), resolved(altered)])) }),
    );
    expect(await store.verify('case-1')).toEqual({
      valid: false,
      eventCount: 2,
      firstInvalidRevision: 1,
    });
  });

  it('readAll leaves out system events and the event at the position it starts from', async () => {
    const system = { ...chained('$stats-1', 0, '', 150n), type: '$statsCollected' };
    const readAll = jest.fn(() => iterate([resolved(first), resolved(system), resolved(second)]));
    const store = new EsdbEventStore(client({ readAll }));
    const after = await store.readAll({ commit: 100n, prepare: 100n }, 10);
    expect(after.map((event) => event.position.commit)).toEqual([200n]);
    expect(readAll).toHaveBeenCalledWith(
      expect.objectContaining({ fromPosition: { commit: 100n, prepare: 100n }, maxCount: 11 }),
    );
    expect((await store.readAll(undefined, 1)).map((event) => event.position.commit)).toEqual([
      100n,
    ]);
  });

  it('subscribes to $all from the checkpoint, skipping system events, and stops by unsubscribing', async () => {
    const live = new Readable({ objectMode: true, read: () => undefined });
    const unsubscribe = jest.fn(() => {
      live.push(null);
      return Promise.resolve();
    });
    const subscribeToAll = jest.fn(() => Object.assign(live, { unsubscribe }));
    const store = new EsdbEventStore(client({ subscribeToAll }));
    const seen: RecordedEvent[] = [];
    let delivered!: () => void;
    const twoSeen = new Promise<void>((resolve) => (delivered = resolve));
    const subscription = store.subscribe(
      (batch) => {
        seen.push(...batch);
        if (seen.length >= 2) delivered();
        return Promise.resolve();
      },
      { from: { commit: 50n, prepare: 50n } },
    );
    live.push(resolved({ ...chained('$ce-case', 0, '', 60n), type: '$>' }));
    live.push(resolved(first));
    live.push(resolved(second));
    await twoSeen;
    await subscription.stop();
    expect(unsubscribe).toHaveBeenCalled();
    expect(subscribeToAll).toHaveBeenCalledWith(
      expect.objectContaining({ fromPosition: { commit: 50n, prepare: 50n } }),
    );
    expect(seen.map((event) => event.position.commit)).toEqual([100n, 200n]);
  });
});
