import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { runMigrations, type Migration, type SqlClient } from '@caseledger/event-store';
import { masterKeyId, parseMasterKey, unwrapKey, wrapKey } from './envelope';

/**
 * The customers' data keys (README "Personal data"): one AES-256 key per
 * customer, stored only wrapped under the master key (AES-256-GCM, AAD the
 * key's id), found by a keyed HMAC of the customer id so that the table holds
 * no customer id in clear. Disposal destroys the wrapped key; the row stays
 * (who disposed, when, why) and answers a second disposal.
 */
export const PERSONAL_DATA_MIGRATION_NAMESPACE = 'personal-data';

export const personalDataMigrations: readonly Migration[] = [
  {
    id: '001-personal-data-keys',
    sql: `
CREATE TABLE personal_data_lookup_key (
  id integer PRIMARY KEY CHECK (id = 1),
  wrapped_key bytea NOT NULL,
  master_key_id text NOT NULL
);
CREATE TABLE personal_data_keys (
  key_id text PRIMARY KEY,
  customer_ref text NOT NULL,
  wrapped_key bytea,
  master_key_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disposed_at timestamptz,
  disposed_on date,
  disposed_by text,
  reason text,
  retention_rule text
);
CREATE UNIQUE INDEX personal_data_keys_live ON personal_data_keys (customer_ref) WHERE disposed_at IS NULL;
CREATE INDEX personal_data_keys_customer ON personal_data_keys (customer_ref);
CREATE TABLE personal_data_streams (
  stream_id text NOT NULL,
  key_id text NOT NULL REFERENCES personal_data_keys (key_id),
  PRIMARY KEY (stream_id, key_id)
);
CREATE INDEX personal_data_streams_key ON personal_data_streams (key_id);
`,
  },
];

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The current master key (wraps new keys) and earlier ones (still unwrap, until `rotate`). */
export interface MasterKeyRing {
  current: MasterKey;
  previous: MasterKey[];
}

export function masterKeyRing(current: string, previous: readonly string[] = []): MasterKeyRing {
  const toKey = (text: string): MasterKey => {
    const key = parseMasterKey(text);
    return { id: masterKeyId(key), key };
  };
  return { current: toKey(current), previous: previous.map(toKey) };
}

export interface CustomerKeyRow {
  keyId: string;
  disposedOn?: string;
  disposedAt?: string;
}

export interface DisposalRecord {
  disposedOn: string;
  disposedBy: string;
  reason: string;
  retentionRule: string;
}

export interface KeyStatus {
  currentMasterKeyId: string;
  /** Live data keys per master key id that wraps them. */
  liveKeysByMaster: Record<string, number>;
  disposedKeys: number;
  streams: number;
}

interface KeyRow {
  key_id: string;
  wrapped_key: Uint8Array | null;
  master_key_id: string | null;
  disposed_at: Date | string | null;
  disposed_on: Date | string | null;
}

const asBuffer = (value: Uint8Array): Buffer =>
  Buffer.from(value.buffer, value.byteOffset, value.byteLength);
const dateText = (value: Date | string): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
const LOOKUP_AAD = 'caseledger-pd/1|lookup-key';
const dataKeyAad = (keyId: string): string => `caseledger-pd/1|data-key|${keyId}`;

/** How long another process may still use a key that was disposed elsewhere. */
export const DATA_KEY_CACHE_MS = 30_000;

export class PersonalDataKeys {
  private migrated: Promise<unknown> | undefined;
  private lookupKey: Promise<Buffer> | undefined;
  private readonly cache = new Map<string, { key: Buffer | null; at: number }>();

  constructor(
    private readonly sql: SqlClient,
    readonly masters: MasterKeyRing,
    private readonly cacheMs = DATA_KEY_CACHE_MS,
  ) {}

  migrate(): Promise<unknown> {
    this.migrated ??= runMigrations(
      this.sql,
      PERSONAL_DATA_MIGRATION_NAMESPACE,
      personalDataMigrations,
    );
    return this.migrated;
  }

  private master(id: string | null): Buffer {
    if (id === this.masters.current.id) return this.masters.current.key;
    const previous = this.masters.previous.find((m) => m.id === id);
    if (!previous)
      throw new Error(
        `personal data key wrapped under master key ${String(id)}, which is not configured (PERSONAL_DATA_MASTER_KEY / PERSONAL_DATA_PREVIOUS_MASTER_KEYS)`,
      );
    return previous.key;
  }

  /** The HMAC key of customer lookups (created once, wrapped like the data keys). */
  private lookup(): Promise<Buffer> {
    this.lookupKey ??= (async () => {
      await this.migrate();
      const fresh = wrapKey(this.masters.current.key, randomBytes(32), LOOKUP_AAD);
      await this.sql.query(
        `INSERT INTO personal_data_lookup_key (id, wrapped_key, master_key_id) VALUES (1, $1, $2)
         ON CONFLICT (id) DO NOTHING`,
        [fresh, this.masters.current.id],
      );
      const { rows } = await this.sql.query<{ wrapped_key: Uint8Array; master_key_id: string }>(
        'SELECT wrapped_key, master_key_id FROM personal_data_lookup_key WHERE id = 1',
      );
      return unwrapKey(
        this.master(rows[0].master_key_id),
        asBuffer(rows[0].wrapped_key),
        LOOKUP_AAD,
      );
    })();
    this.lookupKey.catch(() => (this.lookupKey = undefined));
    return this.lookupKey;
  }

  /** HMAC-SHA256 (hex) of the customer id under the lookup key. */
  async customerRef(customerId: string): Promise<string> {
    return createHmac('sha256', await this.lookup())
      .update(customerId, 'utf8')
      .digest('hex');
  }

  /** The customer's live data key, created on first use. */
  async keyForCustomer(customerId: string): Promise<{ keyId: string; key: Buffer }> {
    const ref = await this.customerRef(customerId);
    const find = () =>
      this.sql.query<KeyRow>(
        `SELECT key_id, wrapped_key, master_key_id, disposed_at, disposed_on FROM personal_data_keys
         WHERE customer_ref = $1 AND disposed_at IS NULL`,
        [ref],
      );
    let { rows } = await find();
    if (rows.length === 0) {
      const keyId = randomUUID();
      await this.sql.query(
        `INSERT INTO personal_data_keys (key_id, customer_ref, wrapped_key, master_key_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT (customer_ref) WHERE disposed_at IS NULL DO NOTHING`,
        [
          keyId,
          ref,
          wrapKey(this.masters.current.key, randomBytes(32), dataKeyAad(keyId)),
          this.masters.current.id,
        ],
      );
      ({ rows } = await find());
    }
    const row = rows[0];
    const key = unwrapKey(
      this.master(row.master_key_id),
      asBuffer(row.wrapped_key!),
      dataKeyAad(row.key_id),
    );
    this.cache.set(row.key_id, { key, at: Date.now() });
    return { keyId: row.key_id, key };
  }

  /** A data key by id; null once disposed (or never known). */
  async dataKey(keyId: string): Promise<Buffer | null> {
    return (await this.dataKeys([keyId])).get(keyId) ?? null;
  }

  /**
   * Several data keys by id (null once disposed, or never known), the ones not
   * cached in one query: a batch of cases read together costs one lookup.
   */
  async dataKeys(keyIds: Iterable<string>): Promise<Map<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const cached = this.cache.get(keyId);
      if (cached && (cached.key === null || Date.now() - cached.at < this.cacheMs))
        keys.set(keyId, cached.key);
      else missing.push(keyId);
    }
    if (missing.length === 0) return keys;
    await this.migrate();
    const { rows } = await this.sql.query<KeyRow>(
      'SELECT key_id, wrapped_key, master_key_id, disposed_at, disposed_on FROM personal_data_keys WHERE key_id = ANY($1::text[])',
      [missing],
    );
    const found = new Map(rows.map((row) => [row.key_id, row]));
    for (const keyId of missing) {
      const row = found.get(keyId);
      const key =
        row && row.wrapped_key
          ? unwrapKey(this.master(row.master_key_id), asBuffer(row.wrapped_key), dataKeyAad(keyId))
          : null;
      this.cache.set(keyId, { key, at: Date.now() });
      keys.set(keyId, key);
    }
    return keys;
  }

  /** Remembers that a case stream's personal data is under this key (disposal finds the cases). */
  async registerStream(streamId: string, keyId: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO personal_data_streams (stream_id, key_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [streamId, keyId],
    );
  }

  /** The customer's keys, live first, then disposed ones newest first. */
  async keysOfCustomer(customerId: string): Promise<CustomerKeyRow[]> {
    const ref = await this.customerRef(customerId);
    const { rows } = await this.sql.query<KeyRow>(
      `SELECT key_id, wrapped_key, master_key_id, disposed_at, disposed_on FROM personal_data_keys
       WHERE customer_ref = $1 ORDER BY disposed_at DESC NULLS FIRST`,
      [ref],
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      ...(r.disposed_on ? { disposedOn: dateText(r.disposed_on) } : {}),
      ...(r.disposed_at ? { disposedAt: new Date(r.disposed_at).toISOString() } : {}),
    }));
  }

  async streamsOf(keyId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ stream_id: string }>(
      'SELECT stream_id FROM personal_data_streams WHERE key_id = $1 ORDER BY stream_id',
      [keyId],
    );
    return rows.map((r) => r.stream_id);
  }

  /** Destroys the data key (crypto-shredding): the wrapped key is overwritten with NULL. */
  async dispose(keyId: string, record: DisposalRecord): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE personal_data_keys SET wrapped_key = NULL, master_key_id = NULL, disposed_at = now(),
         disposed_on = $2, disposed_by = $3, reason = $4, retention_rule = $5
       WHERE key_id = $1 AND disposed_at IS NULL`,
      [keyId, record.disposedOn, record.disposedBy, record.reason, record.retentionRule],
    );
    this.cache.set(keyId, { key: null, at: Date.now() });
    return rowCount > 0;
  }

  /**
   * Master key rotation: every key wrapped under an earlier master key is
   * unwrapped and wrapped again under the current one, row by row (each its
   * own statement: a rotation cut short is resumed by running it again).
   * Events are not touched: their ciphertext is under the data keys.
   */
  async rotate(): Promise<{ rewrapped: number; keysUnderCurrent: number }> {
    await this.lookup();
    const current = this.masters.current;
    let rewrapped = 0;
    const { rows: lookup } = await this.sql.query<{
      wrapped_key: Uint8Array;
      master_key_id: string;
    }>('SELECT wrapped_key, master_key_id FROM personal_data_lookup_key WHERE id = 1');
    if (lookup[0] && lookup[0].master_key_id !== current.id) {
      const plain = unwrapKey(
        this.master(lookup[0].master_key_id),
        asBuffer(lookup[0].wrapped_key),
        LOOKUP_AAD,
      );
      const { rowCount } = await this.sql.query(
        'UPDATE personal_data_lookup_key SET wrapped_key = $1, master_key_id = $2 WHERE id = 1 AND master_key_id = $3',
        [wrapKey(current.key, plain, LOOKUP_AAD), current.id, lookup[0].master_key_id],
      );
      rewrapped += rowCount;
    }
    const { rows } = await this.sql.query<KeyRow>(
      `SELECT key_id, wrapped_key, master_key_id, disposed_at, disposed_on FROM personal_data_keys
       WHERE wrapped_key IS NOT NULL AND master_key_id <> $1`,
      [current.id],
    );
    for (const row of rows) {
      const plain = unwrapKey(
        this.master(row.master_key_id),
        asBuffer(row.wrapped_key!),
        dataKeyAad(row.key_id),
      );
      const { rowCount } = await this.sql.query(
        `UPDATE personal_data_keys SET wrapped_key = $1, master_key_id = $2
         WHERE key_id = $3 AND master_key_id = $4 AND wrapped_key IS NOT NULL`,
        [
          wrapKey(current.key, plain, dataKeyAad(row.key_id)),
          current.id,
          row.key_id,
          row.master_key_id,
        ],
      );
      rewrapped += rowCount;
    }
    const { rows: counted } = await this.sql.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM personal_data_keys WHERE master_key_id = $1',
      [current.id],
    );
    return { rewrapped, keysUnderCurrent: Number(counted[0].n) };
  }

  async status(): Promise<KeyStatus> {
    await this.migrate();
    const { rows } = await this.sql.query<{ master_key_id: string | null; n: string | number }>(
      'SELECT master_key_id, count(*) AS n FROM personal_data_keys GROUP BY master_key_id',
    );
    const { rows: streams } = await this.sql.query<{ n: string | number }>(
      'SELECT count(DISTINCT stream_id) AS n FROM personal_data_streams',
    );
    const liveKeysByMaster: Record<string, number> = {};
    let disposedKeys = 0;
    for (const row of rows) {
      if (row.master_key_id === null) disposedKeys += Number(row.n);
      else liveKeysByMaster[row.master_key_id] = Number(row.n);
    }
    return {
      currentMasterKeyId: this.masters.current.id,
      liveKeysByMaster,
      disposedKeys,
      streams: Number(streams[0].n),
    };
  }
}
