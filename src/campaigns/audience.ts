/**
 * Who a campaign reaches: every directory enterprise that meets both the segment and the
 * policy's eligibility (evaluated by directory/criteria.ts, the same function the finder uses;
 * what cannot be checked — a missing figure — does not count as met), one recipient per contact
 * number. The directory is read once, in contact-number order, so the enterprises of one number
 * come together and no map of numbers is held; it is read a page at a time by its index, so the
 * store holds one page of it, not the whole (a cursor of the embedded store holds all it found):
 * memory stays flat however large the directory.
 */
import type { Document } from 'mongodb';
import { evaluateBoth, type Criteria } from '../directory/criteria.js';
import { profileOf, type Enterprise, type EnterpriseModel } from '../directory/enterprise.js';
import type { AudienceExclusions } from './model.js';

export interface Candidate {
  phone: string;
  /** The first enterprise (by credit code) of the number, and how many more it serves. */
  enterprise: { creditCode: string; name: string };
  others: number;
}

export interface ScanResult extends AudienceExclusions {
  /** Enterprises that fit. */
  enterprises: number;
  /** Distinct numbers (candidates). */
  candidates: number;
}

const FIELDS = { name: 1, phone: 1, industry: 1, type: 1, scale: 1, tags: 1, street: 1, registeredAt: 1, employees: 1, revenue: 1 };
const ORDER = { phone: 1, _id: 1 } as const;
const PAGE = 2000;

function page(enterprises: EnterpriseModel, filter: Document, limit?: number): Promise<Enterprise[]> {
  return enterprises.collection.find(filter, { projection: FIELDS, sort: ORDER, ...(limit ? { limit } : {}) }).toArray() as unknown as Promise<Enterprise[]>;
}

/** The directory in contact-number order (those without a number first, by credit code). */
async function* byNumber(enterprises: EnterpriseModel): AsyncGenerator<Enterprise> {
  for (let after: string | undefined; ; ) {
    const rows = await page(enterprises, { phone: null, ...(after === undefined ? {} : { _id: { $gt: after } }) }, PAGE);
    yield* rows;
    if (rows.length < PAGE) break;
    after = (rows.at(-1) as Enterprise)._id;
  }
  for (let after = ''; ; ) {
    const rows = await page(enterprises, { phone: { $gt: after } }, PAGE);
    yield* rows;
    if (rows.length < PAGE) break;
    const last = rows.at(-1) as Enterprise & { phone: string };
    // The rest of the page's last number, so that a number's enterprises come together.
    yield* await page(enterprises, { phone: last.phone, _id: { $gt: last._id } });
    after = last.phone;
  }
}

/** Calls `onCandidate` for each number, in number order; resolves with the counts. */
export async function scanAudience(
  enterprises: EnterpriseModel,
  criteria: { segment: Criteria; eligibility: Criteria },
  now: Date,
  onCandidate: (candidate: Candidate) => Promise<void> | void,
): Promise<ScanResult> {
  const result: ScanResult = { enterprises: 0, candidates: 0, notEligible: 0, noNumber: 0, duplicate: 0 };
  let current: Candidate | undefined;
  for await (const enterprise of byNumber(enterprises)) {
    if (evaluateBoth(profileOf(enterprise), criteria.segment, criteria.eligibility, now).verdict !== 'met') {
      result.notEligible++;
      continue;
    }
    result.enterprises++;
    if (typeof enterprise.phone !== 'string') {
      result.noNumber++;
      continue;
    }
    if (current?.phone === enterprise.phone) {
      current.others++;
      result.duplicate++;
      continue;
    }
    if (current) await onCandidate(current);
    current = { phone: enterprise.phone, enterprise: { creditCode: enterprise._id, name: enterprise.name }, others: 0 };
    result.candidates++;
  }
  if (current) await onCandidate(current);
  return result;
}
