import { readFileSync } from 'node:fs';
import {
  DEFAULT_POLICIES,
  createPolicyBook,
  defaultPolicy,
  type ContactPolicy,
} from '@caseledger/domain';
import type { PolicyLookup } from '../executor/domain-bridge';
import { ConfigError } from '../config/app-config';

/**
 * The local areas' contact policies: DEFAULT_POLICIES, replaced by POLICIES_FILE
 * (a JSON array of ContactPolicy) when set. An area nobody configured follows
 * the statewide baseline of 01-02 (`defaultPolicy`), so a new area works at once
 * and is never looser than the seed allows.
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
  return parsed as ContactPolicy[];
}

export function createPolicyLookup(policies: readonly ContactPolicy[]): PolicyLookup {
  let book;
  try {
    book = createPolicyBook(policies);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return (localAreaId) => book.policyOf(localAreaId) ?? defaultPolicy(localAreaId);
}
