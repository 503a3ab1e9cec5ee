#!/usr/bin/env node
// Caseledger export verifier: checks an export file (NDJSON, `GET /api/v1/audit/export`
// or `npm run cli -- audit export`) against the service's public key, with Node's
// built-ins only, so an auditor can run it without Caseledger's code. It checks
// every stream's hash chain, every checkpoint's event count and events hash over
// the lines of its range, each checkpoint's hash, Ed25519 signature and link to the
// previous one. The formats are in README.md, "For auditors".
//
//   node tools/verify-export.mjs <export.ndjson> [--public-key <key.pem>] [--expect <sequence>:<hash>]
//
// Exit 0: verified; 1: something failed (each failure is printed); 2: usage or unreadable file.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const USAGE =
  'usage: node tools/verify-export.mjs <export.ndjson> [--public-key <key.pem>] [--expect <sequence>:<hash>]';

/** RFC 8785 (JCS) for JSON values: keys sorted by UTF-16 code units, ECMAScript number and string forms. */
function jcs(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('JCS: non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => jcs(item)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${jcs(value[key])}`).join(',')}}`;
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const BODY_FIELDS = [
  'sequence',
  'position',
  'previousPosition',
  'eventCount',
  'totalEvents',
  'eventsHash',
  'previousHash',
  'createdAt',
  'keyId',
];

function comparePositions(a, b) {
  const [ac, ap] = a.split('/').map(BigInt);
  const [bc, bp] = b.split('/').map(BigInt);
  if (ac !== bc) return ac < bc ? -1 : 1;
  if (ap !== bp) return ap < bp ? -1 : 1;
  return 0;
}

async function main(argv) {
  const args = [...argv];
  const option = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    args.splice(i, 2);
    return value;
  };
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const keyFile = option('--public-key');
  const expectText = option('--expect');
  const [file] = args;
  if (!file || args.length > 1) throw new UsageError(USAGE);
  let expect;
  if (expectText) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(expectText);
    if (!m) throw new UsageError('--expect takes <sequence>:<64 hex digits>');
    expect = { sequence: Number(m[1]), hash: m[2] };
  }

  const failures = [];
  const notes = [];
  const fail = (lineNo, message) => failures.push(`line ${lineNo}: ${message}`);
  let publicKey = keyFile ? createPublicKey(readFileSync(keyFile, 'utf8')) : undefined;

  const streams = new Map(); // streamId -> { revision, hash }
  let header;
  let end;
  let previousCheckpoint; // the last checkpoint line seen
  let rangeKnown = false; // whether the lines since previousCheckpoint are the whole range
  let digest = createHash('sha256');
  let count = 0;
  let lastPosition;
  let events = 0;
  let checkpoints = 0;
  let lineNo = 0;
  let sawContent = false;
  let sawHeaderLine = false;
  const seenSequences = new Map();

  const input = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of input) {
    lineNo += 1;
    if (text.trim() === '') continue;
    if (!header && !sawContent && text.startsWith('> ')) {
      // `npm run cli -- audit export > file` (without -s) puts npm's banner first.
      notes.push(`line ${lineNo}: skipped npm's banner before the header (use npm run -s)`);
      continue;
    }
    sawContent = true;
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      fail(lineNo, 'not JSON');
      continue;
    }
    if (end) fail(lineNo, 'a line after the end line');
    if (!header && !sawHeaderLine) {
      sawHeaderLine = true;
      if (entry.kind !== 'export') {
        fail(lineNo, 'the first line is not the export header');
      } else {
        header = entry;
        if (!publicKey) {
          publicKey = createPublicKey(entry.publicKey);
          notes.push(
            'no --public-key given: using the key in the file header (get the published one to rule out a forged file)',
          );
        }
        // No anchor before the first checkpoint: the file starts at the store's beginning.
        rangeKnown = true;
      }
      continue;
    }
    if (entry.position !== undefined && entry.kind !== 'checkpoint') {
      if (lastPosition && comparePositions(entry.position, lastPosition) <= 0) {
        fail(lineNo, `position ${entry.position} is not after ${lastPosition}`);
      }
      lastPosition = entry.position;
    }
    switch (entry.kind) {
      case 'event': {
        events += 1;
        const recomputed = sha256(
          `${entry.previousHash}${jcs({ type: entry.type, data: entry.data, metadata: entry.metadata })}`,
        );
        if (recomputed !== entry.hash) {
          fail(
            lineNo,
            `${entry.streamId} revision ${entry.revision}: content does not match its hash (edited)`,
          );
        }
        const seen = streams.get(entry.streamId);
        if (seen) {
          if (entry.revision !== seen.revision + 1) {
            fail(
              lineNo,
              `${entry.streamId}: revision ${seen.revision + 1} is missing (found ${entry.revision})`,
            );
          } else if (entry.previousHash !== seen.hash) {
            fail(
              lineNo,
              `${entry.streamId} revision ${entry.revision} does not chain to revision ${seen.revision}`,
            );
          }
        } else if (entry.revision === 0 && entry.previousHash !== '') {
          fail(lineNo, `${entry.streamId} revision 0 names a predecessor`);
        } else if (entry.revision > 0) {
          notes.push(
            `${entry.streamId} starts at revision ${entry.revision} in this file (its earlier events are outside the filters)`,
          );
        }
        streams.set(entry.streamId, { revision: entry.revision, hash: entry.hash });
        digest.update(`${entry.hash}\n`, 'utf8');
        count += 1;
        break;
      }
      case 'elided':
        digest.update(`${entry.hash}\n`, 'utf8');
        count += 1;
        break;
      case 'checkpoint': {
        checkpoints += 1;
        const body = Object.fromEntries(BODY_FIELDS.map((field) => [field, entry[field]]));
        const bytes = Buffer.from(jcs(body), 'utf8');
        if (createHash('sha256').update(bytes).digest('hex') !== entry.hash) {
          fail(
            lineNo,
            `checkpoint ${entry.sequence}: its hash does not match its content (edited)`,
          );
        }
        let signed = false;
        try {
          signed = verify(null, bytes, publicKey, Buffer.from(String(entry.signature), 'base64'));
        } catch {
          signed = false;
        }
        if (!signed) fail(lineNo, `checkpoint ${entry.sequence}: the signature does not verify`);
        seenSequences.set(entry.sequence, entry.hash);
        if (previousCheckpoint) {
          if (entry.sequence !== previousCheckpoint.sequence + 1) {
            fail(
              lineNo,
              `checkpoint ${previousCheckpoint.sequence + 1} is missing (found ${entry.sequence})`,
            );
          }
          if (
            entry.previousHash !== previousCheckpoint.hash ||
            entry.previousPosition !== previousCheckpoint.position
          ) {
            fail(
              lineNo,
              `checkpoint ${entry.sequence} does not link to checkpoint ${previousCheckpoint.sequence}`,
            );
          }
          if (entry.totalEvents !== previousCheckpoint.totalEvents + entry.eventCount) {
            fail(lineNo, `checkpoint ${entry.sequence}: totalEvents does not add up`);
          }
        } else if (entry.anchor === true && count === 0) {
          // The anchor of an export that resumes or starts later: its own range is not in the file.
          rangeKnown = false;
        } else if (entry.sequence !== 1) {
          fail(
            lineNo,
            `checkpoint ${entry.sequence} is the first in the file but events precede it (checkpoints 1–${entry.sequence - 1} missing)`,
          );
        } else if (entry.previousHash !== '' || entry.previousPosition !== '0/0') {
          fail(lineNo, 'checkpoint 1 names a predecessor');
        }
        const isAnchor = !previousCheckpoint && entry.anchor === true && count === 0;
        if (!isAnchor && rangeKnown) {
          if (count !== entry.eventCount) {
            fail(
              lineNo,
              `checkpoint ${entry.sequence} covers ${entry.eventCount} events, the file has ${count} in its range (events deleted or added)`,
            );
          } else if (digest.digest('hex') !== entry.eventsHash) {
            fail(
              lineNo,
              `checkpoint ${entry.sequence}: the events in its range do not hash to its eventsHash (rewritten)`,
            );
          }
        }
        digest = createHash('sha256');
        count = 0;
        rangeKnown = true;
        previousCheckpoint = entry;
        break;
      }
      case 'end':
        end = entry;
        if (entry.events !== events)
          fail(lineNo, `the end line counts ${entry.events} events, the file has ${events}`);
        break;
      default:
        fail(lineNo, `unknown line kind ${JSON.stringify(entry.kind)}`);
    }
  }
  if (!header) failures.push('no export header');
  if (!end) failures.push('no end line: the file is truncated');
  if (count > 0) {
    notes.push(`${count} events after the newest checkpoint are not yet covered by a signature`);
    const interval = header?.checkpointIntervalEvents;
    if (typeof interval === 'number' && count >= interval) {
      failures.push(
        `${count} events after the newest checkpoint exceed the checkpoint interval (${interval}): a checkpoint was removed`,
      );
    }
  }
  if (expect) {
    const hash = seenSequences.get(expect.sequence);
    if (hash === undefined)
      failures.push(`checkpoint ${expect.sequence}, seen before, is not in the file`);
    else if (hash !== expect.hash)
      failures.push(`checkpoint ${expect.sequence} differs from the one seen before`);
  }
  for (const note of notes.slice(0, 20)) console.error(`note: ${note}`);
  if (notes.length > 20) console.error(`note: … and ${notes.length - 20} more notes`);
  const summary = `${events} events in ${streams.size} streams, ${checkpoints} checkpoints`;
  if (failures.length > 0) {
    for (const failure of failures) console.log(`FAILED ${failure}`);
    console.log(`export NOT verified: ${failures.length} failure(s); ${summary}`);
    return 1;
  }
  const newest = previousCheckpoint
    ? `; newest checkpoint ${previousCheckpoint.sequence}:${previousCheckpoint.hash}`
    : '';
  console.log(`export verified: ${summary}${newest}`);
  return 0;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? error.message : `cannot verify: ${error.message}`);
    process.exit(2);
  },
);
