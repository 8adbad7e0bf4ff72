import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }>; headers?: Record<string, unknown> }>;
}

/** The headers a route sets that a client reads: each must be declared on the response that carries it. */
const DOCUMENTED_HEADERS = ['etag', 'location', 'content-disposition', 'x-next-cursor', 'link', 'retry-after'];

/**
 * Strict copies of the component schemas: an object schema with properties allows no other property, so
 * a field the service sends and the description does not declare fails like a missing or mistyped one.
 */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(strict);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const copy: Json = Object.fromEntries(Object.entries(value).map(([key, inner]): [string, unknown] => [key, strict(inner)]));
  if (copy.properties !== undefined && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** Checks real answers against the OpenAPI description the service serves (`/docs-json`). */
export class OpenApiConformance {
  private readonly operations = new Map<string, Operation>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  readonly checked = new Set<string>();

  constructor(document: Json) {
    addFormats.default(this.ajv);
    const components = document.components as { schemas: Json };
    this.ajv.addSchema({ $id: 'api', components: { schemas: strict(components.schemas) } });
    for (const item of Object.values(document.paths as Record<string, Record<string, Operation>>)) {
      for (const operation of Object.values(item)) {
        this.operations.set(operation.operationId, operation);
      }
    }
  }

  /** Throws, naming the operation, status and every violation, when the response is not as described. */
  check(operationId: string, response: Response): Response {
    const operation = this.operations.get(operationId);
    if (!operation) {
      throw new Error(`no operation ${operationId} in the description`);
    }
    const status = String(response.status);
    const declared = operation.responses[status];
    if (!declared) {
      throw new Error(`${operationId} answered ${status}, which it does not declare (${Object.keys(operation.responses).join(', ')})`);
    }
    const headers = Object.keys(declared.headers ?? {}).map((name) => name.toLowerCase());
    const undeclared = DOCUMENTED_HEADERS.filter((name) => response.headers[name] !== undefined && !headers.includes(name));
    if (undeclared.length > 0) {
      throw new Error(`${operationId} ${status} sends ${undeclared.join(', ')} without declaring it`);
    }
    const type = String(response.headers['content-type'] ?? '').split(';')[0];
    if (declared.content === undefined) {
      if (response.text) {
        throw new Error(`${operationId} ${status} sends a body (${type}) but declares none`);
      }
    } else if (type === 'application/json') {
      const media = declared.content['application/json'];
      if (!media) {
        throw new Error(`${operationId} ${status} sends JSON but declares ${Object.keys(declared.content).join(', ')}`);
      }
      const validate = this.validator(JSON.stringify(media.schema));
      if (!validate(response.body)) {
        const errors = (validate.errors ?? []).map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
        throw new Error(`${operationId} ${status}: the body does not match its schema:\n${errors.join('\n')}`);
      }
    } else if (
      !Object.keys(declared.content).some(
        (declaredType) => declaredType === type || declaredType === '*/*' || type.startsWith(declaredType.split('/')[0]),
      )
    ) {
      throw new Error(`${operationId} ${status} sends ${type} but declares ${Object.keys(declared.content).join(', ')}`);
    }
    this.checked.add(operationId);
    return response;
  }

  get operationIds(): string[] {
    return [...this.operations.keys()];
  }

  private validator(schemaText: string): ValidateFunction {
    let validate = this.validators.get(schemaText);
    if (!validate) {
      // The schema's $refs name components: resolve them inside the registered 'api' document.
      const schema = JSON.parse(schemaText.replaceAll('"#/components/', '"api#/components/')) as Json;
      validate = this.ajv.compile(schema);
      this.validators.set(schemaText, validate);
    }
    return validate;
  }
}
