import { readFileSync } from 'node:fs';
import {
  DEFAULT_POLICIES,
  createPolicyBook,
  defaultPolicy,
  type ContactPolicy,
  type PolicyBook,
} from '@caseledger/domain';
import type { PolicyLookup } from '../executor/domain-bridge';
import { ConfigError } from '../config/app-config';

/**
 * The local areas' contact policies: DEFAULT_POLICIES, replaced by POLICIES_FILE
 * (a JSON array of ContactPolicy) when set. R2 v2: only configured areas exist;
 * an unknown `localAreaId` is refused, never given a default policy.
 */
export function loadPolicies(policiesFile?: string): readonly ContactPolicy[] {
  if (!policiesFile) return DEFAULT_POLICIES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(policiesFile, 'utf8'));
  } catch (error) {
    throw new ConfigError([
      `POLICIES_FILE ${policiesFile} could not be read as JSON: ${(error as Error).message}`,
    ]);
  }
  if (!Array.isArray(parsed)) {
    throw new ConfigError([`POLICIES_FILE ${policiesFile} must hold a JSON array of policies`]);
  }
  // A file written before R10 v2/R20/R21 lacks their terms: the statewide defaults fill them.
  return (parsed as ContactPolicy[]).map((p) =>
    typeof p === 'object' && p !== null
      ? { ...defaultPolicy(String(p.localAreaId), p.timeZone), ...p }
      : p,
  );
}

/** Validated policies; an invalid or duplicated one is a ConfigError, so the process does not start. */
export function policyBookOf(policies: readonly ContactPolicy[]): PolicyBook {
  try {
    return createPolicyBook(policies);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

/** The one load of the policy book a process makes (POLICIES_FILE or the defaults). */
export const loadPolicyBook = (policiesFile?: string): PolicyBook =>
  policyBookOf(loadPolicies(policiesFile));

/** R2 v2: an unknown local area has no policy (a new case there is refused 422 R2). */
export const lookupOf =
  (book: PolicyBook): PolicyLookup =>
  (localAreaId) =>
    book.policyOf(localAreaId);

export function createPolicyLookup(policies: readonly ContactPolicy[]): PolicyLookup {
  return lookupOf(policyBookOf(policies));
}
