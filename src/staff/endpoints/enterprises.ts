/**
 * The enterprise directory over the API: import a CSV (header row) or NDJSON body, streamed —
 * good rows upserted by credit code, bad ones listed with their line and reason — and look the
 * directory up (how many, one enterprise, who a number is the contact of).
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { PayloadTooLargeError, RequestError } from '../../http/errors.js';
import type { Directory } from '../../directory/directory.js';
import type { Enterprise } from '../../directory/enterprise.js';
import { importRows, MAX_REPORTED } from '../../directory/import/importer.js';
import { csvRows, ImportFormatError, ndjsonRows, type SourceRow } from '../../directory/import/sources.js';
import { mobileAddress } from '../../directory/phone.js';
import type { Vocabulary } from '../../directory/vocabulary.js';
import { endpoint, type Endpoint } from '../api.js';
import { audited, type StaffServices } from '../services.js';

/** 100,000 rows are about 15 MB of CSV; this leaves room for several times that. */
export const IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;

const summary = z
  .object({
    imported: z.number().int().meta({ description: 'Enterprises new to the directory' }),
    updated: z.number().int().meta({ description: 'Enterprises already there (by credit code), now as the row says' }),
    rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })).meta({ description: `Rows not imported, with why (the first ${MAX_REPORTED})` }),
    rejectedCount: z.number().int().meta({ description: 'All rows not imported' }),
  })
  .meta({ id: 'ImportSummary' });

export const enterpriseView = z
  .object({
    creditCode: z.string(),
    name: z.string(),
    contact: z.string().optional(),
    phone: z.string().optional(),
    industry: z.string(),
    type: z.string(),
    scale: z.string(),
    tags: z.array(z.string()),
    street: z.string().optional(),
    registeredAt: z.date().optional(),
    employees: z.number().optional(),
    revenue: z.number().optional(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Enterprise' });

function view(enterprise: Enterprise): z.infer<typeof enterpriseView> {
  const { _id, createdAt: _createdAt, ...rest } = enterprise;
  return { creditCode: _id, ...rest };
}

/** The body, counted as it streams: past the limit it stops with 413. */
function limited(ctx: Context): NodeJS.ReadableStream & AsyncIterable<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > IMPORT_LIMIT_BYTES) throw new PayloadTooLargeError(`body larger than ${IMPORT_LIMIT_BYTES} bytes: split the file`);
  let seen = 0;
  ctx.req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > IMPORT_LIMIT_BYTES) ctx.req.destroy(new PayloadTooLargeError(`body larger than ${IMPORT_LIMIT_BYTES} bytes: the rows before were imported, split the file`));
  });
  return ctx.req;
}

export function enterpriseEndpoints(services: StaffServices, directory: Directory, vocabulary: Vocabulary): Endpoint[] {
  return [
    endpoint({
      method: 'post',
      path: '/admin/enterprises',
      summary: 'Import enterprises into the directory',
      tag: 'directory',
      roles: ['campaign'],
      rawBody: {
        'text/csv': 'A header row naming the columns (creditCode, name, industry, type and scale required; contact, phone, tags, street, registeredAt, employees, revenue optional), then one enterprise a row. Tags separated by |.',
        'application/x-ndjson': 'One JSON object a line, with the same fields (tags as an array).',
      },
      refusals: { '413': 'The body is larger than the import limit', '415': 'Neither text/csv nor application/x-ndjson' },
      response: summary,
      async handle({ staff, ctx }) {
        const type = ctx.is('text/csv', 'application/x-ndjson');
        if (!type) throw new RequestError(415, 'content-type must be text/csv or application/x-ndjson');
        const body = limited(ctx);
        const rows: AsyncIterable<SourceRow> = type === 'text/csv' ? csvRows(body as never) : ndjsonRows(body as never);
        try {
          const result = await importRows(directory.model, rows, vocabulary);
          await audited(services, ctx, staff, 'directory.import', type, { imported: result.imported, updated: result.updated, rejected: result.rejectedCount });
          return result;
        } catch (error) {
          if (error instanceof ImportFormatError) {
            ctx.req.resume();
            ctx.set('connection', 'close');
            throw new RequestError(400, `body: ${error.message}`);
          }
          if (error instanceof PayloadTooLargeError) {
            ctx.set('connection', 'close');
            throw error;
          }
          throw error;
        }
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/enterprises',
      summary: 'Look up the directory: its size, or the enterprises of a contact number',
      tag: 'directory',
      roles: ['campaign'],
      query: z.object({ phone: z.string().optional().meta({ description: 'A mobile number in any usual form' }) }),
      response: z.object({ count: z.number().int(), enterprises: z.array(enterpriseView) }),
      async handle({ query }) {
        const count = await directory.count();
        if (query.phone === undefined) return { count, enterprises: [] };
        const address = mobileAddress(query.phone);
        if (!address) throw new RequestError(400, 'query.phone: not a mainland mobile number');
        return { count, enterprises: (await directory.byPhone(address)).map(view) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/enterprises/:creditCode',
      summary: 'Read one enterprise of the directory',
      tag: 'directory',
      roles: ['campaign'],
      params: z.object({ creditCode: z.string().min(1).max(40) }),
      refusals: { '404': 'No enterprise with this credit code' },
      response: enterpriseView,
      async handle({ params }) {
        const enterprise = await directory.get(params.creditCode.toUpperCase());
        if (!enterprise) throw new RequestError(404, 'no enterprise with this credit code');
        return view(enterprise);
      },
    }),
  ];
}
