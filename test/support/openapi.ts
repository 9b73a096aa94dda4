/**
 * Checks answers against the staff API's own OpenAPI document: the document must be valid
 * OpenAPI 3.1, and each answer must match the schema it declares for that path, method, status
 * and media type.
 */
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface OpenApiCheck {
  /** The media types the document declares for an answer. */
  mediaTypes(path: string, method: string, status: string): string[];
  /** Fails the test when `body` does not match the declared JSON schema. */
  expectMatches(path: string, method: string, status: string, body: unknown): void;
}

export async function openApiCheck(document: unknown): Promise<OpenApiCheck> {
  const validation = await new Validator().validate(document as never);
  expect(validation.valid, JSON.stringify(validation.errors)).to.equal(true);
  const doc = document as Document;
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components ?? {} });
  const content = (path: string, method: string, status: string): Record<string, { schema: unknown }> => doc.paths[path]?.[method]?.responses[status]?.content ?? {};
  return {
    mediaTypes: (path, method, status) => Object.keys(content(path, method, status)),
    expectMatches(path, method, status, body) {
      const schema = content(path, method, status)['application/json']?.schema;
      expect(schema, `${method} ${path} ${status} is documented`).to.not.equal(undefined);
      // Answers are JSON text: dates are strings there, as the document says.
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')) as object);
      expect(validate(body), `${method} ${path}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    },
  };
}
