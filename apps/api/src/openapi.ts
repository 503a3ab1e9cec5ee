import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The v1 contract, generated from the controllers and DTOs (DESIGN.md "HTTP contract"). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Caseledger API')
    .setDescription(
      'Case management of record for workforce programs. Errors are application/problem+json ' +
        '(RFC 9457); a refused command appends nothing, and its `type` is ' +
        'https://caseledger.dev/problems/<rule id> (R1–R19, BUSINESS_DATE, CONCURRENCY…).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function serveOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return document;
}
