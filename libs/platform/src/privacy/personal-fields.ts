/**
 * Which fields of which case events are personal data (README "Personal
 * data": the list and why). Paths are dotted, inside the event's `data`. Only
 * non-empty strings are encrypted: an empty field tells nothing about a
 * person, and leaving it empty keeps "has a plan / has a note" countable
 * after disposal.
 *
 * Personal: who the customer is (id, names), the employer's contact details
 * (a third person's name, phone, address), and free text staff write about
 * the customer's life (contact progress and justification, barriers and
 * plans, goals, assessment summaries, suspension details, notes).
 * Not personal (kept in clear for reports and audits): ids we generate,
 * dates, enums and reasons chosen from lists, program, centers, areas, case
 * managers, activity and provider names, the employer's name, job title,
 * wage, hours and benefits, and staff's process reasons (transfer, void,
 * correction, early gap end), which must not carry personal data.
 */
const CONTACT = ['progress', 'justification'];
const JOB = ['job.employerAddress', 'job.employerPhone', 'job.employerContact'];

export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  CaseOpened: ['customer.id', 'customer.firstName', 'customer.lastName'],
  CustomerDetailsCorrected: ['firstName', 'lastName', 'previous.firstName', 'previous.lastName'],
  ContactRecorded: CONTACT,
  ContactAttempted: CONTACT,
  FollowUpContactRecorded: CONTACT,
  BarrierIdentified: ['description', 'plan'],
  BarrierOvercome: ['how'],
  PlannedGapScheduled: ['note'],
  GoalSet: ['statement'],
  AssessmentRecorded: ['summary'],
  EmploymentRecorded: JOB,
  CaseSuspended: ['details', ...JOB],
  SuspensionReturned: ['requestedInformation'],
  CaseClosed: ['note'],
  SoftExitReversed: ['justification'],
  PersonalDataDisposed: ['customerId'],
  // R22 corrections carry the corrected free text (old and new) by field name.
  EntryCorrected: [
    'fields.progress',
    'fields.justification',
    'fields.description',
    'fields.plan',
    'fields.how',
    'fields.note',
    'fields.statement',
    'fields.summary',
    'previous.progress',
    'previous.justification',
    'previous.description',
    'previous.plan',
    'previous.how',
    'previous.note',
    'previous.statement',
    'previous.summary',
  ],
});

/** Does this event type carry personal data at all? */
export const hasPersonalFields = (type: string): boolean => PERSONAL_FIELDS[type] !== undefined;

/**
 * A copy of `data` with `transform` applied to each personal field present
 * (nested objects copied along the path, everything else shared).
 */
export function mapPersonalFields(
  type: string,
  data: unknown,
  transform: (value: unknown, path: string) => unknown,
): unknown {
  const paths = PERSONAL_FIELDS[type];
  if (!paths || data === null || typeof data !== 'object') return data;
  let out = data as Record<string, unknown>;
  let copied = false;
  for (const path of paths) {
    const parts = path.split('.');
    const next = replaceAt(out, parts, 0, path, transform);
    if (next !== out) {
      out = next;
      copied = true;
    }
  }
  return copied ? out : data;
}

function replaceAt(
  node: Record<string, unknown>,
  parts: string[],
  index: number,
  path: string,
  transform: (value: unknown, path: string) => unknown,
): Record<string, unknown> {
  const key = parts[index];
  if (!Object.prototype.hasOwnProperty.call(node, key)) return node;
  const value = node[key];
  if (index === parts.length - 1) {
    const replaced = transform(value, path);
    return replaced === value ? node : { ...node, [key]: replaced };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return node;
  const child = replaceAt(value as Record<string, unknown>, parts, index + 1, path, transform);
  return child === value ? node : { ...node, [key]: child };
}
