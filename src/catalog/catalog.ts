/**
 * The service catalog as the bot uses it: items by code, halls by id, the nearest hall to a
 * point. Loaded from intents/catalog/services.json; every problem is reported with its line.
 */
import { readFileSync } from 'node:fs';
import { SourceLocator } from '../content/locate.js';
import { ContentError, type ContentProblem } from '../content/problems.js';
import { catalogSchema, type CatalogData, type Hall, type ServiceItem } from './schema.js';

export const CATALOG_FILE = 'catalog/services.json';

export class Catalog {
  private readonly itemsByCode: Map<string, ServiceItem>;
  private readonly hallsById: Map<string, Hall>;

  constructor(readonly data: CatalogData) {
    this.itemsByCode = new Map(data.items.map((item) => [item.code, item]));
    this.hallsById = new Map(data.halls.map((hall) => [hall.id, hall]));
  }

  get items(): readonly ServiceItem[] {
    return this.data.items;
  }

  get halls(): readonly Hall[] {
    return this.data.halls;
  }

  item(code: string): ServiceItem | undefined {
    return this.itemsByCode.get(code);
  }

  hall(id: string): Hall | undefined {
    return this.hallsById.get(id);
  }

  /** Themes in catalog order, each once. */
  themes(): string[] {
    return [...new Set(this.data.items.map((item) => item.theme))];
  }

  itemsInTheme(theme: string): ServiceItem[] {
    return this.data.items.filter((item) => item.theme === theme);
  }

  /** The item's hall (checked at load to exist). */
  hallOf(item: ServiceItem): Hall {
    return this.hallsById.get(item.hallId) as Hall;
  }

  /** Halls by distance from a point, nearest first, with the distance in metres. */
  hallsByDistance(latitude: number, longitude: number): Array<{ hall: Hall; meters: number }> {
    return this.data.halls
      .map((hall) => ({ hall, meters: haversineMeters(latitude, longitude, hall.latitude, hall.longitude) }))
      .sort((a, b) => a.meters - b.meters);
  }
}

const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance; plenty for "which hall is nearest" within a city. */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

/** Parses catalog JSON text; throws ContentError with the file, line and field of every problem. */
export function parseCatalog(source: string, file = CATALOG_FILE): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    throw new ContentError([{ file, ...positionAt(source, offset), message: `not valid JSON: ${message}` }]);
  }
  const result = catalogSchema.safeParse(json);
  const locator = new SourceLocator(source);
  const problems: ContentProblem[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push({ file, ...locator.positionOf(issue.path), message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
    }
    throw new ContentError(problems);
  }
  const data = result.data;
  const hallIds = new Set(data.halls.map((hall) => hall.id));
  const codes = new Set<string>();
  data.items.forEach((item, index) => {
    if (codes.has(item.code)) problems.push({ file, ...locator.positionOf(['items', index, 'code']), message: `duplicate item code "${item.code}"` });
    codes.add(item.code);
    if (!hallIds.has(item.hallId)) {
      problems.push({ file, ...locator.positionOf(['items', index, 'hallId']), message: `hallId "${item.hallId}" is not one of the halls (${[...hallIds].join(', ')})` });
    }
  });
  if (problems.length > 0) throw new ContentError(problems);
  return new Catalog(data);
}

function positionAt(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Reads and parses the catalog file under the intents directory. */
export function loadCatalog(intentsDir: string): Catalog {
  return parseCatalog(readFileSync(`${intentsDir}/${CATALOG_FILE}`, 'utf8'));
}
