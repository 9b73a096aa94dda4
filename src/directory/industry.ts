/**
 * The national industry classification (GB/T 4754-2017): 20 sections A–T, each a range of
 * 2-digit divisions, under which 3-digit groups and 4-digit classes sit. An enterprise's
 * industry is kept as its section letter followed by as many code digits as are known
 * ("I", "I65", "I6513"); a rule names a section or a code prefix and matches by prefix.
 */
const SECTION_DIVISIONS: Array<[string, number, number]> = [
  ['A', 1, 5],
  ['B', 6, 12],
  ['C', 13, 43],
  ['D', 44, 46],
  ['E', 47, 50],
  ['F', 51, 52],
  ['G', 53, 60],
  ['H', 61, 62],
  ['I', 63, 65],
  ['J', 66, 69],
  ['K', 70, 70],
  ['L', 71, 72],
  ['M', 73, 75],
  ['N', 76, 79],
  ['O', 80, 82],
  ['P', 83, 83],
  ['Q', 84, 85],
  ['R', 86, 90],
  ['S', 91, 96],
  ['T', 97, 97],
];

export const INDUSTRY_SECTIONS = SECTION_DIVISIONS.map(([section]) => section);

/** The section of a 2-digit division, or undefined when the division does not exist. */
export function sectionOfDivision(division: number): string | undefined {
  return SECTION_DIVISIONS.find(([, from, to]) => division >= from && division <= to)?.[0];
}

const FORM = /^([A-Ta-t])?(\d{2,4})?$/;

/**
 * "C", "C39", "3911", "C3911" (also "c 39") → the canonical "C3911" form, or a reason why not:
 * an unknown section or division, or a letter that is not the code's section.
 */
export function normalizeIndustry(text: string): { ok: true; industry: string } | { ok: false; reason: string } {
  const compact = text.normalize('NFKC').replace(/[\s.-]/g, '');
  const match = FORM.exec(compact);
  if (!match || compact === '') return { ok: false, reason: 'must be a section letter A–T and/or a 2–4 digit code of GB/T 4754-2017, e.g. I, I65 or I6513' };
  const letter = match[1]?.toUpperCase();
  const code = match[2];
  if (code === undefined) return { ok: true, industry: letter as string };
  const section = sectionOfDivision(Number(code.slice(0, 2)));
  if (section === undefined) return { ok: false, reason: `division ${code.slice(0, 2)} does not exist in GB/T 4754-2017` };
  if (letter !== undefined && letter !== section) return { ok: false, reason: `code ${code} is in section ${section}, not ${letter}` };
  return { ok: true, industry: `${section}${code}` };
}

/** Whether an enterprise's industry falls under a rule's industry (both canonical). */
export function industryMatches(industry: string, rule: string): boolean {
  return industry.startsWith(rule);
}
