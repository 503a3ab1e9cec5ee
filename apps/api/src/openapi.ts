import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CURRENT_SCHEMA_VERSION, type CaseEventType } from '@caseledger/domain';
import { PATH_ID_EXAMPLES, REQUEST_EXAMPLES } from './openapi-examples';
import { HISTORY_DATA_SCHEMAS, HISTORY_PART_SCHEMAS } from './openapi-history';

type Json = Record<string, unknown>;

/** One tag per area: each operation is listed once, under its area, in /docs. */
export const API_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'case commands', description: 'Changing a case: each appends events (or none, refused)' },
  { name: 'case queries', description: 'Reading cases: state, history, verification, search' },
  { name: 'caseloads', description: 'Worklists: caseloads, suspensions awaiting review, sizes' },
  { name: 'audit', description: 'Auditors: export, explain, checkpoints, access, compliance' },
  { name: 'operations', description: 'Health probes and metrics (no bearer token)' },
];

const AREAS = new Set(API_TAGS.map((t) => t.name));

const CORRELATION_HEADER = {
  description: "The request's correlation id (the client's X-Correlation-Id, or one minted)",
  schema: { type: 'string', maxLength: 128 },
};

/**
 * The document a client generator can work from: operation ids from the
 * handler names (`openCase`, `recordContact`…), one tag per area, servers and
 * licence, declared response headers, `security: []` on public routes, and
 * the case history as a union discriminated by the event `type`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Caseledger API')
    .setDescription(
      'Case management of record for workforce programs. Errors are application/problem+json ' +
        '(RFC 9457); a refused command appends nothing, and its `type` is ' +
        'https://caseledger.dev/problems/<id> (a rule id R1–R22, or an edge check; see docs/errors.md).',
    )
    .setVersion('1')
    .setLicense('Proprietary (UNLICENSED)', 'https://caseledger.dev/license')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  return refine(document);
}

function refine(document: OpenAPIObject): OpenAPIObject {
  document.tags = API_TAGS.map((t) => ({ ...t }));
  const components = (document.components ??= {});
  const headers = ((components as Json).headers ??= {}) as Json;
  headers.CorrelationId = CORRELATION_HEADER;
  headers.ETag = {
    description: 'The case revision, quoted ("12"), for If-Match',
    schema: { type: 'string' },
  };
  headers.Location = { description: 'The URL of what was created', schema: { type: 'string' } };
  headers.IdempotencyReplayed = {
    description:
      'true when the answer is the stored one of an earlier request with this Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  };
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Json>)) {
      if (typeof op !== 'object' || op === null || !('responses' in op)) continue;
      const id = String(op.operationId);
      const before = seen.get(id);
      if (before) throw new Error(`operationId ${id} is used by ${before} and ${method} ${path}`);
      seen.set(id, `${method} ${path}`);
      examples(op, id);
      const tags = (op.tags as string[] | undefined) ?? [];
      op.tags = [tags.find((t) => AREAS.has(t)) ?? 'operations'];
      // Every route is rate-limited (RATE_LIMIT_REQUESTS): a 4xx any client can meet.
      const responses = op.responses as Record<string, Json>;
      if (!Object.keys(responses).some((s) => s.startsWith('4')))
        responses['429'] = {
          description: 'Too many requests from this client; see Retry-After',
          content: { 'application/problem+json': { schema: { type: 'object' } } },
        };
      // No bearer requirement declared: a public route (health, metrics) — say so.
      if (!op.security) op.security = [];
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const h = (response.headers ??= {}) as Json;
        h['X-Correlation-Id'] = { $ref: '#/components/headers/CorrelationId' };
        if (!status.startsWith('2')) continue;
        if (method === 'post' && path.startsWith('/api/v1/cases'))
          h['Idempotency-Replayed'] = { $ref: '#/components/headers/IdempotencyReplayed' };
        if (status === '201' && id === 'openCase')
          h.Location = { $ref: '#/components/headers/Location' };
        if (id === 'getCase') h.ETag = { $ref: '#/components/headers/ETag' };
      }
    }
  }
  historyUnion(components as Json);
  return document;
}

/** A request body a client can send as it stands, and path ids that belong to it. */
function examples(op: Json, id: string): void {
  for (const parameter of (op.parameters as Json[] | undefined) ?? [])
    if (parameter.in === 'path' && typeof parameter.name === 'string') {
      const example = PATH_ID_EXAMPLES[parameter.name];
      if (example) parameter.example = example;
    }
  const example = REQUEST_EXAMPLES[id];
  const content = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content;
  if (example && content?.['application/json']) content['application/json'].example = example;
}

/** GET …/history: each event a variant of its own `type` (DESIGN.md "Events"). */
function historyUnion(components: Json): void {
  const schemas = (components.schemas ??= {}) as Json;
  const base = schemas.HistoryEventDto as Json | undefined;
  if (!base) return;
  const types = (Object.keys(CURRENT_SCHEMA_VERSION) as CaseEventType[]).sort();
  for (const [name, schema] of Object.entries(HISTORY_PART_SCHEMAS)) schemas[name] = schema;
  const mapping: Record<string, string> = {};
  const variants: Json[] = [];
  for (const type of types) {
    const name = `${type}HistoryEvent`;
    schemas[`${type}Data`] = {
      ...HISTORY_DATA_SCHEMAS[type],
      description: `The ${type} event's data, as stored (a field later schema versions added may be absent)`,
    };
    schemas[name] = {
      allOf: [
        { $ref: '#/components/schemas/HistoryEventDto' },
        {
          type: 'object',
          required: ['type', 'data'],
          properties: {
            type: { type: 'string', enum: [type] },
            data: { $ref: `#/components/schemas/${type}Data` },
          },
        },
      ],
    };
    mapping[type] = `#/components/schemas/${name}`;
    variants.push({ $ref: mapping[type] });
  }
  schemas.HistoryEvent = {
    oneOf: variants,
    discriminator: { propertyName: 'type', mapping },
  };
  const response = schemas.CaseHistoryResponse as { properties?: Record<string, Json> } | undefined;
  if (response?.properties?.events)
    response.properties.events = {
      type: 'array',
      items: { $ref: '#/components/schemas/HistoryEvent' },
    };
}

export function serveOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return document;
}
