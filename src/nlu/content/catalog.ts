/**
 * The parts of the service catalog (intents/catalog/services.json) the classifier learns from.
 * The whole entry is validated by src/catalog/; here every text field that says what an item is
 * for is read, since most items of a real catalog have no phrase file and this text is all that
 * is known about them.
 */
import { z } from 'zod';

const catalogItem = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  description: z.string().default(''),
  department: z.string().default(''),
  theme: z.string().default(''),
  conditions: z.array(z.string()).default([]),
  materials: z.array(z.object({ name: z.string() })).default([]),
  legalBasis: z.array(z.string()).default([]),
});
const catalogFile = z.object({ items: z.array(catalogItem).min(1) });

export type CatalogItem = z.infer<typeof catalogItem>;

/** Parses the catalog JSON text; throws an Error naming the file and the bad field. */
export function parseCatalog(file: string, source: string): CatalogItem[] {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const result = catalogFile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid catalog'}`);
  }
  return result.data.items;
}

/** What the catalog says about an item besides its names, by how directly it says what the item is. */
export interface CatalogText {
  /** The description, one sentence each, and the legal basis: what the item is for. */
  described: string[];
  /** Conditions and materials: who may apply and what they bring — true of many items at once. */
  required: string[];
  /** Theme and department: shared by whole groups of items. */
  grouped: string[];
}

/** Sentences, so that one long description is several short documents, each about one thing. */
function sentences(text: string): string[] {
  return text
    .split(/[。；;！？!?\n]/u)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function catalogText(item: CatalogItem): CatalogText {
  return {
    described: [...sentences(item.description), ...item.legalBasis],
    required: [...item.conditions.flatMap(sentences), ...item.materials.map((material) => material.name)],
    grouped: [item.theme, item.department].filter((text) => text !== ''),
  };
}
