/**
 * Realistic large catalogs for tests and benchmarks: department × theme × object × action (and,
 * past the plain combinations, × a qualifier such as 港澳居民), each item with a description,
 * conditions and materials in the style of a district catalog export, and no phrase file — as
 * most items of a real deployment. The words live in vocabulary.yaml; the same seed gives the
 * same catalog.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { MATERIAL_FORMS, serviceItemSchema, type Hall, type ServiceItem } from '../../../src/catalog/schema.js';
import { seededRandom } from '../../../src/util/seededRandom.js';

const audience = z.enum(['personal', 'enterprise']);
const vocabularySchema = z.object({
  departments: z.array(
    z.object({
      name: z.string(),
      theme: z.string(),
      audience,
      objects: z.array(z.object({ name: z.string(), materials: z.array(z.string()), purpose: z.string() })).min(1),
    }),
  ),
  actions: z.array(z.object({ verb: z.string(), kind: z.string(), sense: z.string(), extraConditions: z.array(z.string()).default([]), extraMaterials: z.array(z.string()).default([]) })),
  qualifiers: z.array(z.string()),
  commonMaterials: z.record(audience, z.array(z.string())),
  steps: z.array(z.string()).min(1),
  fees: z.array(z.string()).min(1),
  templates: z.object({
    name: z.string(),
    aliases: z.array(z.string()),
    description: z.string(),
    applicantCondition: z.string(),
    applicant: z.record(audience, z.string()),
    qualifiedApplicant: z.string(),
    window: z.string(),
    questions: z.array(z.string()).min(1),
  }),
});
type Vocabulary = z.infer<typeof vocabularySchema>;

let cached: Vocabulary | undefined;
function vocabulary(): Vocabulary {
  cached ??= vocabularySchema.parse(parse(readFileSync(fileURLToPath(new URL('./vocabulary.yaml', import.meta.url)), 'utf8')));
  return cached;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/** One combination: indexes into the vocabulary, qualifier -1 for none. */
interface Combination {
  department: number;
  object: number;
  action: number;
  qualifier: number;
}

function combinations(words: Vocabulary, random: () => number): Combination[] {
  const plain: Combination[] = [];
  const qualified: Combination[] = [];
  words.departments.forEach((department, d) =>
    department.objects.forEach((_, o) =>
      words.actions.forEach((_, a) => {
        plain.push({ department: d, object: o, action: a, qualifier: -1 });
        words.qualifiers.forEach((_, q) => qualified.push({ department: d, object: o, action: a, qualifier: q }));
      }),
    ),
  );
  const shuffle = (list: Combination[]): Combination[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j] as Combination, list[i] as Combination];
    }
    return list;
  };
  // Plain combinations first: a district's catalog is mostly those; qualified variants fill the rest.
  return [...shuffle(plain), ...shuffle(qualified)];
}

export interface GeneratedItem {
  item: ServiceItem;
  /** Citizen-style questions about the item, from the vocabulary's templates. */
  questions: string[];
}

export interface GenerateOptions {
  count: number;
  halls: readonly Hall[];
  seed?: number;
}

export function generateCatalog(options: GenerateOptions): GeneratedItem[] {
  const words = vocabulary();
  const random = seededRandom(options.seed ?? 530);
  const all = combinations(words, random);
  if (options.count > all.length) throw new Error(`the vocabulary makes at most ${all.length} items`);
  const hall = options.halls[0];
  if (hall === undefined) throw new Error('a catalog needs a hall');
  return all.slice(0, options.count).map((combination, index): GeneratedItem => {
    const department = words.departments[combination.department] as Vocabulary['departments'][number];
    const object = department.objects[combination.object] as Vocabulary['departments'][number]['objects'][number];
    const action = words.actions[combination.action] as Vocabulary['actions'][number];
    const qualifier = words.qualifiers[combination.qualifier] ?? '';
    const applicant = qualifier === '' ? words.templates.applicant[department.audience] : fill(words.templates.qualifiedApplicant, { qualifier });
    const values = { qualifier, object: object.name, verb: action.verb, purpose: object.purpose, sense: action.sense, department: department.name, applicant };
    const materialNames = [...words.commonMaterials[department.audience], ...object.materials, ...action.extraMaterials];
    const legalDays = [0, 5, 10, 15, 20, 30][Math.floor(random() * 6)] ?? 20;
    const item = serviceItemSchema.parse({
      code: `gen-${combination.department}-${combination.object}-${combination.action}${combination.qualifier < 0 ? '' : `-q${combination.qualifier}`}`,
      name: fill(words.templates.name, values),
      department: department.name,
      level: 'district',
      audience: [department.audience],
      theme: department.theme,
      aliases: words.templates.aliases.map((alias) => fill(alias, values)),
      description: fill(words.templates.description, values),
      conditions: [fill(words.templates.applicantCondition, values), ...action.extraConditions],
      materials: materialNames.map((name, i) => ({ name, form: i === words.commonMaterials[department.audience].length - 1 ? MATERIAL_FORMS.onlineForm : MATERIAL_FORMS.original, copies: 1 })),
      steps: words.steps,
      timeLimit: { legalDays, promisedDays: Math.floor(legalDays / 2) },
      fee: words.fees[index % words.fees.length],
      modes: { oneVisit: true, zeroVisit: random() < 0.5, online: true, instantApproval: false, tolerantAcceptance: false, noApplication: false },
      appointment: false,
      hallId: hall.id,
      window: words.templates.window,
      phone: hall.phone,
      legalBasis: [],
      eLicense: false,
    });
    return { item, questions: words.templates.questions.map((question) => fill(question, values)) };
  });
}
