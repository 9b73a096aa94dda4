/** CT/CU `notifyInfoNotification` bodies: profile changes, user complaints, audit results. */
import { z } from 'zod';
import { InvalidRequestError } from '../../http/errors.js';
import { describeIssues } from '../common/zodIssues.js';

export type PlatformNotice =
  | { kind: 'informationChange'; details: Record<string, unknown> }
  | { kind: 'spamComplaint'; messageIds: string[]; spamType?: string; freeText?: string }
  | { kind: 'auditResult'; subject: string; passed: boolean; description?: string; time?: string; remark?: string };

const informationChangeSchema = z.record(z.string(), z.unknown());

const spamSchema = z.object({
  messageId: z.union([z.array(z.string().min(1).max(256)).max(1000), z.string().min(1).max(256).transform((one) => [one])]),
  spamType: z.string().max(200).optional(),
  freeText: z.string().max(2000).optional(),
});

const checkSchema = z.object({
  type: z.string().min(1).max(100),
  result: z.enum(['pass', 'fail']),
  description: z.string().max(2000).optional(),
  time: z.string().max(64).optional(),
  remark: z.string().max(2000).optional(),
});

export function parseInformationChange(body: unknown): PlatformNotice {
  return { kind: 'informationChange', details: validate(informationChangeSchema, body) };
}

export function parseSpamComplaint(body: unknown): PlatformNotice {
  const spam = validate(spamSchema, body);
  return { kind: 'spamComplaint', messageIds: spam.messageId, spamType: spam.spamType, freeText: spam.freeText };
}

export function parseAuditResult(body: unknown): PlatformNotice {
  const check = validate(checkSchema, body);
  return {
    kind: 'auditResult',
    subject: check.type,
    passed: check.result === 'pass',
    description: check.description,
    time: check.time,
    remark: check.remark,
  };
}

function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error));
  return result.data;
}
