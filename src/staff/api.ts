/**
 * The staff API, declared once per endpoint: its method and path, the role it needs, zod schemas
 * of its path parameters, query, body and answer, and its handler. From that one declaration come
 * the Koa route (input validated at the edge into typed values, a 400 naming the field otherwise;
 * the role checked; the answer written) and the endpoint's part of the OpenAPI 3.1 document, so
 * the document cannot drift from what the server does.
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { readJsonBody } from '../http/body.js';
import { InvalidRequestError, RequestError } from '../http/errors.js';
import type { StaffIdentity, StaffRole } from './roles.js';
import { allows } from './roles.js';

type Method = 'get' | 'post' | 'delete';

export interface EndpointInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  staff: StaffIdentity;
  ctx: Context;
}

/** Another representation of an endpoint's answer (CSV …), rendered from the same value. */
export interface Alternative<R> {
  render(value: R): string;
  /** Offered as a download of this name (Content-Disposition: attachment). */
  filename?(value: R): string;
}

export interface Endpoint<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: Method;
  /** Koa-style, e.g. `/admin/staff/:name`. */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed besides admin (admins may call everything). */
  roles: readonly StaffRole[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * A body the handler streams itself (an import), by media type with its description, instead
   * of a JSON body: the route leaves the request unread.
   */
  rawBody?: Record<string, string>;
  response: z.ZodType<R>;
  /** 200 unless said (201 for creations). */
  status?: number;
  /** Other refusals it may answer besides 400, 401 and 403, by status, e.g. 404 and 409. */
  refusals?: Record<string, string>;
  /** Other representations of the answer by media type, chosen by the request's Accept. */
  alternatives?: Record<string, Alternative<R>>;
  handle(input: EndpointInput<P, Q, B>): Promise<R> | R;
}

/** Declares an endpoint with its types inferred from its schemas. */
export function endpoint<P, Q, B, R>(definition: Endpoint<P, Q, B, R>): Endpoint {
  return definition as unknown as Endpoint;
}

const errorSchema = z.object({ status: z.number().int(), reason: z.string() }).meta({ id: 'Error' });

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw new InvalidRequestError(`${field}: ${issue?.message ?? 'invalid'}`);
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

export class StaffApi {
  private readonly endpoints: Endpoint[] = [];

  add(...endpoints: Endpoint[]): this {
    this.endpoints.push(...endpoints);
    return this;
  }

  /** The routes; `authenticate` resolves the caller (or throws 401) before any endpoint runs. */
  router(authenticate: (ctx: Context) => Promise<StaffIdentity>): Router {
    const router = new Router();
    for (const definition of this.endpoints) {
      router[definition.method](definition.path, async (ctx) => {
        const staff = await authenticate(ctx);
        if (!allows(staff.role, definition.roles)) throw new RequestError(403, `the ${staff.role} role may not ${definition.summary.toLowerCase()}`);
        const params = parse(definition.params, ctx.params, 'path');
        const query = parse(definition.query, ctx.query, 'query');
        const body = definition.body ? parse(definition.body, await readJsonBody(ctx), 'body') : undefined;
        const value = await definition.handle({ params, query, body, staff, ctx });
        ctx.status = definition.status ?? 200;
        const alternative = Object.entries(definition.alternatives ?? {}).find(([type]) => ctx.accepts('application/json', type) === type);
        if (alternative) {
          const [type, representation] = alternative;
          if (representation.filename) ctx.attachment(representation.filename(value));
          ctx.type = type;
          ctx.body = representation.render(value);
        } else {
          ctx.body = value;
        }
      });
    }
    return router;
  }

  /** The OpenAPI 3.1 document of every endpoint added. */
  document(info: { title: string; version: string }): ReturnType<typeof createDocument> {
    const paths: ZodOpenApiPathsObject = {};
    for (const definition of this.endpoints) {
      const operation: ZodOpenApiOperationObject = {
        summary: definition.summary,
        tags: [definition.tag],
        description: `Roles: ${['admin', ...definition.roles].join(', ')}.`,
        security: [{ staffKey: [] }],
        ...(definition.params || definition.query
          ? { requestParams: { ...(definition.params ? { path: definition.params as never } : {}), ...(definition.query ? { query: definition.query as never } : {}) } }
          : {}),
        ...(definition.body ? { requestBody: { content: { 'application/json': { schema: definition.body } } } } : {}),
        ...(definition.rawBody
          ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(definition.rawBody).map(([type, description]) => [type, { schema: z.string().meta({ description }) }])) } }
          : {}),
        responses: {
          [String(definition.status ?? 200)]: {
            description: 'OK',
            content: {
              'application/json': { schema: definition.response },
              ...Object.fromEntries(Object.keys(definition.alternatives ?? {}).map((type) => [type, { schema: z.string() }])),
            },
          },
          '400': { description: 'A parameter, the query or the body is invalid (the reason names the field)', content: { 'application/json': { schema: errorSchema } } },
          '401': { description: 'No staff key, or a wrong or revoked one', content: { 'application/json': { schema: errorSchema } } },
          ...Object.fromEntries(
            Object.entries(definition.refusals ?? {}).map(([status, description]) => [status, { description, content: { 'application/json': { schema: errorSchema } } }]),
          ),
          '403': { description: 'The key is valid but its role may not do this', content: { 'application/json': { schema: errorSchema } } },
        },
      };
      const path = openApiPath(definition.path);
      paths[path] = { ...paths[path], [definition.method]: operation };
    }
    return createDocument({
      openapi: '3.1.0',
      info,
      paths,
      components: { securitySchemes: { staffKey: { type: 'http', scheme: 'bearer', description: 'A staff API key (npm run staff -- add NAME --role ROLE), or ADMIN_TOKEN' } } },
    });
  }
}
