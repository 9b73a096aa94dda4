/** The parts of the service catalog (intents/catalog/services.json) the classifier learns from. */
import { z } from 'zod';

const catalogItem = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  description: z.string().default(''),
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
