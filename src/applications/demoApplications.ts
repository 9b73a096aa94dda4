/**
 * Demo applications for a first start, so that the progress query can be tried at once: one of
 * each status across personal and enterprise items, filed in the days before `now`. What a record
 * says (materials to supplement, the condition not met) is taken from the item in the catalog.
 */
import type { Catalog } from '../catalog/catalog.js';
import { isNothingToBring } from '../catalog/schema.js';
import type { ApplicationRecord, ApplicationStatus } from './applications.js';

const DAY_MS = 24 * 3_600_000;

interface DemoPlan {
  itemCode: string;
  daysAgo: number;
  /** The statuses it went through, the last one current; each a day after the one before. */
  path: ApplicationStatus[];
  delivery?: ApplicationRecord['delivery'];
}

const PLANS: DemoPlan[] = [
  { itemCode: 'residence-permit-apply', daysAgo: 1, path: ['accepted'] },
  { itemCode: 'passport-apply', daysAgo: 4, path: ['accepted', 'reviewing'] },
  { itemCode: 'hukou-newborn', daysAgo: 6, path: ['accepted', 'needs_supplement'] },
  { itemCode: 'business-license-company', daysAgo: 3, path: ['accepted', 'completed'], delivery: 'online' },
  { itemCode: 'housing-fund-withdraw-rent', daysAgo: 9, path: ['accepted', 'reviewing', 'completed'], delivery: 'online' },
  { itemCode: 'talent-housing-subsidy', daysAgo: 12, path: ['accepted', 'reviewing', 'rejected'] },
  { itemCode: 'food-business-license', daysAgo: 8, path: ['accepted', 'reviewing', 'needs_supplement'] },
  { itemCode: 'elderly-allowance', daysAgo: 15, path: ['accepted', 'reviewing', 'completed'], delivery: 'post' },
  { itemCode: 'marriage-registration', daysAgo: 2, path: ['accepted', 'completed'], delivery: 'window' },
  { itemCode: 'rd-subsidy', daysAgo: 20, path: ['accepted', 'reviewing'] },
];

/** Local (UTC+8) calendar date as 8 digits, as application numbers carry it. */
function dateDigits(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function demoApplications(catalog: Catalog, now: Date): ApplicationRecord[] {
  return PLANS.flatMap((plan, index) => {
    const item = catalog.item(plan.itemCode);
    if (!item) return [];
    const submittedAt = new Date(now.getTime() - plan.daysAgo * DAY_MS);
    const history = plan.path.map((status, step) => ({ status, at: new Date(submittedAt.getTime() + step * DAY_MS) }));
    const last = history.at(-1) ?? { status: 'accepted' as const, at: submittedAt };
    const record: ApplicationRecord = {
      _id: `NS${dateDigits(submittedAt)}${String(index + 1).padStart(4, '0')}`,
      itemCode: item.code,
      status: last.status,
      submittedAt,
      updatedAt: last.at,
      history,
    };
    if (last.status === 'needs_supplement') record.supplement = item.materials.filter((material) => !isNothingToBring(material)).slice(0, 2).map((material) => material.name);
    if (last.status === 'rejected') record.reason = item.conditions[0] ?? item.name;
    if (last.status === 'completed' && plan.delivery) record.delivery = plan.delivery;
    return [record];
  });
}
