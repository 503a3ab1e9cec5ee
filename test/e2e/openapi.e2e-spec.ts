import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness';

/** DESIGN.md "HTTP contract (v1)": every path of the contract is in the served document. */
const CONTRACT_PATHS: Array<[string, string]> = [
  ['post', '/api/v1/cases'],
  ['post', '/api/v1/cases/{caseId}/enrollments'],
  ['post', '/api/v1/cases/{caseId}/enrollments/{enrollmentId}/end'],
  ['post', '/api/v1/cases/{caseId}/contacts'],
  ['post', '/api/v1/cases/{caseId}/barriers'],
  ['post', '/api/v1/cases/{caseId}/barriers/{barrierId}/overcome'],
  ['post', '/api/v1/cases/{caseId}/planned-gaps'],
  ['post', '/api/v1/cases/{caseId}/goals'],
  ['post', '/api/v1/cases/{caseId}/goals/{goalId}/resolve'],
  ['post', '/api/v1/cases/{caseId}/assessments'],
  ['post', '/api/v1/cases/{caseId}/employment'],
  ['post', '/api/v1/cases/{caseId}/transfer'],
  ['post', '/api/v1/cases/{caseId}/suspend'],
  ['post', '/api/v1/cases/{caseId}/suspension/approve'],
  ['post', '/api/v1/cases/{caseId}/suspension/return'],
  ['get', '/api/v1/cases/{caseId}'],
  ['get', '/api/v1/cases/{caseId}/history'],
  ['get', '/api/v1/cases/{caseId}/verify'],
  ['get', '/health'],
  ['get', '/metrics'],
];

describe('OpenAPI document', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('pglite');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is served at /openapi.json without a token and validates as OpenAPI 3', async () => {
    const res = await request(api.server).get('/openapi.json');
    expect(res.status).toBe(200);
    const document = res.body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('documents every path of the v1 contract, with problem responses and the contract enums', async () => {
    const document = (await request(api.server).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    for (const [method, path] of CONTRACT_PATHS) {
      expect({ path, method, documented: Boolean(document.paths[path]?.[method]) }).toEqual({
        path,
        method,
        documented: true,
      });
    }
    const contact = document.paths['/api/v1/cases/{caseId}/contacts'].post;
    expect(Object.keys(contact.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '412', '422']),
    );
    expect(document.components.schemas.RecordContactRequestDto.properties.method.enum).toEqual([
      'IN_PERSON',
      'TELEPHONE',
      'LETTER',
      'EMAIL',
    ]);
  });

  it('serves a browsable UI at /docs', async () => {
    const res = await request(api.server).get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/i);
  });
});
