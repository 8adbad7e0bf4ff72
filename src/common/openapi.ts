import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { policySchemas } from '../policies/policy-openapi.js';
import { toOpenApi31 } from './openapi-31.js';

/**
 * The OpenAPI description of the running service, built from the controllers' decorators: explicit
 * `operationId`s (a client's method names), component schemas for every body, the error body, headers.
 * `/docs` (Swagger UI) and `/docs-json` serve it; `npm run openapi` writes it to a file.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Fault-tolerance case-review service')
    .setDescription(
      'Accountability (问责) and fault-tolerance (容错纠错) cases, from opening to decision. Log in with ' +
        '`POST /auth/login`, then send the `accessToken` as `Authorization: Bearer …` (the Authorize button). ' +
        'Every error answers with the `ErrorBody` schema.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://en.wikipedia.org/wiki/Proprietary_software')
    .addServer('/', 'this service')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'the `accessToken` of `POST /auth/login`' },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Schemas declared outside the decorators (from zod), referenced by name.
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...policySchemas() } };
  return toOpenApi31(document);
}

/** Serves the Swagger UI at `/docs` and the description at `/docs-json` (their headers: response-headers.ts). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
