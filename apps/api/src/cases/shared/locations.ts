import { nameBasedUuid } from '@caseledger/platform';

/**
 * The case is the resource: entities inside it (contacts, barriers…) are read as
 * part of `GET /api/v1/cases/{caseId}`, so every 201 points there.
 */
export const caseLocation = (caseId: string): string =>
  `/api/v1/cases/${encodeURIComponent(caseId)}`;

/**
 * An id the client omitted, derived from the command id: a retry under the same
 * Idempotency-Key names the same entity instead of minting a second one.
 */
export const generatedId = (commandId: string, field: string): string =>
  nameBasedUuid('generated-id', commandId, field);
