import request from 'supertest';
import { CURRENT_SCHEMA_VERSION } from '@caseledger/domain';
import { startApi, type ApiHarness } from './support/api-harness';

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  required?: string[];
  properties?: Record<string, Schema>;
  discriminator?: { propertyName: string; mapping: Record<string, string> };
};

/** DESIGN.md "Events": GET …/history is a union by `type`, each variant's `data` typed. */
describe('OpenAPI history events', () => {
  let api: ApiHarness;
  let schemas: Record<string, Schema>;
  beforeAll(async () => {
    api = await startApi('pglite');
    const document = (await request(api.server).get('/openapi.json')).body as {
      components: { schemas: Record<string, Schema> };
    };
    schemas = document.components.schemas;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('every event type of the domain has a variant, discriminated by type, with a typed data schema', () => {
    const types = Object.keys(CURRENT_SCHEMA_VERSION).sort();
    expect(types.length).toBeGreaterThanOrEqual(25);
    const union = schemas.HistoryEvent;
    expect(union.discriminator?.propertyName).toBe('type');
    expect(Object.keys(union.discriminator?.mapping ?? {}).sort()).toEqual(types);
    expect(union.oneOf).toHaveLength(types.length);
    for (const type of types) {
      const variant = schemas[`${type}HistoryEvent`];
      const own = variant?.allOf?.[1]?.properties;
      expect({ type, data: own?.data?.$ref }).toEqual({
        type,
        data: `#/components/schemas/${type}Data`,
      });
      const data = schemas[`${type}Data`];
      // A real shape, not a loose object: named fields, the required ones listed.
      expect({ type, fields: Object.keys(data?.properties ?? {}).length > 0 }).toEqual({
        type,
        fields: true,
      });
      expect({ type, required: (data?.required ?? []).length > 0 }).toEqual({
        type,
        required: true,
      });
    }
    expect(Object.keys(schemas.ContactRecordedData.properties ?? {})).toEqual(
      expect.arrayContaining([
        'contactId',
        'method',
        'party',
        'outcome',
        'occurredOn',
        'qualifying',
      ]),
    );
    expect(schemas.PersonalDataDisposedData.required).toEqual([
      'caseId',
      'customerId',
      'disposedOn',
      'reason',
      'retentionRule',
    ]);
    expect(schemas.CaseHistoryResponse.properties?.events).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/HistoryEvent' },
    });
  });
});
