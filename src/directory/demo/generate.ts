/**
 * A realistic synthetic directory (for tests, benchmarks and the demo): valid credit codes,
 * names that read like Shenzhen enterprises, industries, scales, employees and revenue that go
 * together, tags where they are plausible, a few contacts serving several enterprises and a few
 * entries without a mobile number. The same seed gives the same directory.
 */
import { CREDIT_CODE_ALPHABET, creditCodeCheck } from '../creditCode.js';
import { seededRandom } from '../../util/seededRandom.js';
import { GIVEN_NAMES, SECTIONS, SHOP_WORDS, STREETS, SURNAMES, TRADE_NAMES, TYPES } from './words.js';

/** One row as an import takes it (import/row.ts). */
export interface GeneratedRow {
  creditCode: string;
  name: string;
  contact: string;
  phone: string;
  industry: string;
  type: string;
  scale: string;
  tags: string[];
  street: string;
  registeredAt: string;
  employees: number;
  revenue: number;
}

export interface GenerateOptions {
  seed?: number;
  /** The date "now" for registration dates (default: today). */
  now?: Date;
  /** Make the first row a fixed showcase enterprise whose contact is this mobile number. */
  showcasePhone?: string;
}

/** GB 11714's check character of an 8-character organisation code body. */
function organisationCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, char, index) => total + parseInt(char, 36) * (weights[index] as number), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** A valid credit code, distinct for each index below 10^8. */
export function creditCodeFor(index: number): string {
  const body = String((index * 7919 + 10_000_000) % 100_000_000).padStart(8, '0');
  const first17 = `91440305${body}${organisationCheck(body)}`;
  if (![...first17].every((char) => CREDIT_CODE_ALPHABET.includes(char))) throw new Error(`not a credit code body: ${first17}`);
  return `${first17}${creditCodeCheck(first17)}`;
}

function weighted<T>(random: () => number, entries: Array<[T, number]>): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [value, weight] of entries) {
    point -= weight;
    if (point < 0) return value;
  }
  return (entries.at(-1) as [T, number])[0];
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const between = (random: () => number, low: number, high: number): number => Math.floor(low + random() * (high - low + 1));

const SCALES: Array<[{ scale: string; employees: [number, number]; revenue: [number, number] }, number]> = [
  [{ scale: '微型', employees: [1, 9], revenue: [10, 300] }, 55],
  [{ scale: '小型', employees: [10, 99], revenue: [300, 5_000] }, 30],
  [{ scale: '中型', employees: [100, 999], revenue: [5_000, 40_000] }, 12],
  [{ scale: '大型', employees: [1_000, 20_000], revenue: [40_000, 800_000] }, 3],
];

/** Rows one by one; `count` of them. */
export function* generateDirectory(count: number, options: GenerateOptions = {}): Generator<GeneratedRow> {
  const random = seededRandom(options.seed ?? 20261203);
  const now = options.now ?? new Date();
  const thisYear = now.getUTCFullYear();
  let previous: GeneratedRow | undefined;
  for (let index = 0; index < count; index++) {
    if (index === 0 && options.showcasePhone) {
      previous = showcase(options.showcasePhone, thisYear);
      yield previous;
      continue;
    }
    const section = weighted(random, Object.entries(SECTIONS).map(([letter, entry]) => [letter, entry.weight]));
    const { words, divisions } = SECTIONS[section] as (typeof SECTIONS)[string];
    const division = pick(random, divisions);
    const industry = random() < 0.5 ? `${section}${division}${between(random, 1, 9)}${between(random, 0, 9)}` : `${section}${division}`;
    const type = weighted(random, TYPES);
    const size = weighted(random, type === '个体工商户' ? SCALES.slice(0, 1) : SCALES);
    const employees = between(random, ...size.employees);
    const revenue = Math.round(size.revenue[0] + random() ** 2 * (size.revenue[1] - size.revenue[0]));
    const trade = `${pick(random, TRADE_NAMES)}${random() < 0.3 ? pick(random, TRADE_NAMES) : ''}`;
    const name =
      type === '个体工商户'
        ? `深圳市南山区${trade}${SHOP_WORDS[section] ?? '经营部'}`
        : `深圳市${trade}${pick(random, words)}${type === '股份有限公司' ? '股份有限公司' : '有限公司'}${index % 97 === 0 ? '南山分公司' : ''}`;
    // Some contacts look after several enterprises (an accountant, a group's office).
    const shared = previous !== undefined && random() < 0.03;
    const phone = shared ? (previous as GeneratedRow).phone : random() < 0.02 ? '' : mobile(index, random);
    const row: GeneratedRow = {
      creditCode: creditCodeFor(index),
      name,
      contact: shared ? (previous as GeneratedRow).contact : `${pick(random, SURNAMES)}${pick(random, GIVEN_NAMES)}`,
      phone,
      industry,
      type,
      scale: size.scale,
      tags: tagsFor(random, section, size.scale, revenue),
      street: weighted(random, STREETS),
      registeredAt: registered(random, now),
      employees,
      revenue,
    };
    previous = row;
    yield row;
  }
}

function mobile(index: number, random: () => number): string {
  const prefix = pick(random, ['135', '136', '137', '138', '139', '150', '152', '158', '159', '186', '188', '189', '133', '153', '177', '180', '181', '199']);
  return `${prefix}${String((index * 48271 + 1234567) % 100_000_000).padStart(8, '0')}`;
}

/** A registration day in the 30 years before `now`, more of them recent. */
function registered(random: () => number, now: Date): string {
  const day = new Date(now.getTime() - Math.floor(random() ** 1.6 * 30 * 365.25) * 86_400_000 - 86_400_000);
  return day.toISOString().slice(0, 10);
}

function tagsFor(random: () => number, section: string, scale: string, revenue: number): string[] {
  const tags: string[] = [];
  const tech = ['I', 'C', 'M'].includes(section);
  if (tech && scale !== '微型' && random() < 0.3) tags.push('高新技术企业');
  if (tech && scale !== '大型' && random() < 0.25) tags.push('科技型中小企业');
  if (scale !== '大型' && random() < 0.08) tags.push('创新型中小企业');
  if (['C', 'I'].includes(section) && ['中型', '小型'].includes(scale) && random() < 0.08) {
    tags.push('专精特新');
    if (random() < 0.15) tags.push('专精特新小巨人');
  }
  if (revenue >= 2_000 && random() < 0.8) tags.push('规上企业');
  if (scale === '大型' && random() < 0.3) tags.push('上市企业');
  else if (scale === '中型' && random() < 0.05) tags.push('拟上市企业');
  if (['C', 'F'].includes(section) && random() < 0.15) tags.push('外贸企业');
  return tags;
}

function showcase(phone: string, thisYear: number): GeneratedRow {
  return {
    creditCode: creditCodeFor(0),
    name: '深圳市南山星河科技有限公司',
    contact: '林晓东',
    phone,
    industry: 'I6513',
    type: '有限责任公司',
    scale: '小型',
    tags: ['高新技术企业', '科技型中小企业'],
    street: '粤海街道',
    registeredAt: `${thisYear - 6}-05-18`,
    employees: 68,
    revenue: 3_600,
  };
}

const CSV_COLUMNS = ['creditCode', 'name', 'contact', 'phone', 'industry', 'type', 'scale', 'tags', 'street', 'registeredAt', 'employees', 'revenue'] as const;

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\n`;
}

export function csvLine(row: GeneratedRow): string {
  return `${CSV_COLUMNS.map((column) => csvField(column === 'tags' ? row.tags.join('|') : row[column])).join(',')}\n`;
}

export function ndjsonLine(row: GeneratedRow): string {
  return `${JSON.stringify(row.phone === '' ? { ...row, phone: undefined } : row)}\n`;
}
