import { caseStreamId } from '@caseledger/domain';
import { PersonalDataEventStore, plaintextFields, storedForm } from '@caseledger/platform';
import { isEnvelope, mapPersonalFields } from '@caseledger/platform';
import { CliError, openStorage, type CliIo } from './projections.command';

export const KEYS_USAGE = `usage:
  npm run cli -- keys status [--json]   master key in use, data keys per master key, disposed keys, and
                                        (migration) case events holding personal data in clear vs encrypted;
                                        reads only: re-keys nothing, rewrites nothing
  npm run cli -- keys rotate [--json]   re-wrap every data key under PERSONAL_DATA_MASTER_KEY (earlier master
                                        keys in PERSONAL_DATA_PREVIOUS_MASTER_KEYS); events are not rewritten`;

/** Master key rotation and the migration report (README "Personal data"). */
export async function keysCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'status' && action !== 'rotate') throw new CliError(KEYS_USAGE);
  const { sql, store } = await openStorage(env);
  try {
    if (!(store instanceof PersonalDataEventStore))
      throw new CliError(
        'no master key: set PERSONAL_DATA_MASTER_KEY (or let `npm start` generate DATA_DIR/personal-data-master-key)',
        78,
      );
    const json = rest.includes('--json');
    if (action === 'rotate') {
      const result = await store.keys.rotate();
      if (json) io.out(JSON.stringify(result));
      else
        io.out(
          `re-wrapped ${result.rewrapped} key(s) under master key ${store.keys.masters.current.id}; ${result.keysUnderCurrent} data key(s) now under it`,
        );
      return 0;
    }
    const status = await store.keys.status();
    const events = { caseEvents: 0, encryptedFields: 0, plaintextFields: 0, streamsInClear: 0 };
    const inClear = new Set<string>();
    const raw = storedForm(store);
    let cursor;
    for (;;) {
      const page = await raw.readAll(cursor, 2000);
      for (const event of page) {
        cursor = event.position;
        if (!event.streamId.startsWith(caseStreamId(''))) continue;
        events.caseEvents += 1;
        const clear = plaintextFields(event.type, event.data);
        events.plaintextFields += clear;
        if (clear > 0) inClear.add(event.streamId);
        mapPersonalFields(event.type, event.data, (v) => {
          if (isEnvelope(v)) events.encryptedFields += 1;
          return v;
        });
      }
      if (page.length < 2000) break;
    }
    events.streamsInClear = inClear.size;
    const report = { ...status, ...events };
    if (json) io.out(JSON.stringify(report));
    else {
      io.out(`master key in use: ${status.currentMasterKeyId}`);
      for (const [id, n] of Object.entries(status.liveKeysByMaster))
        io.out(
          `  data keys under ${id}: ${n}${id === status.currentMasterKeyId ? '' : ' (run keys rotate)'}`,
        );
      io.out(
        `disposed data keys: ${status.disposedKeys}; case streams with a key: ${status.streams}`,
      );
      io.out(
        `case events: ${events.caseEvents}; personal fields encrypted: ${events.encryptedFields}, in clear (written before encryption): ${events.plaintextFields} in ${events.streamsInClear} stream(s)`,
      );
    }
    return 0;
  } finally {
    await store.close();
    await sql.close();
  }
}
