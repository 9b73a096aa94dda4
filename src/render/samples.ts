/**
 * Sample data for previewing and linting templates. A samples file may name catalog entries
 * instead of copying them — `{ $item: passport-apply }`, `{ $hall: ns-main }` — so samples stay
 * as real as the catalog; cards/common.samples.yaml holds what every template gets (the menu).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Catalog } from '../catalog/catalog.js';

export const COMMON_SAMPLES_FILE = 'common.samples.yaml';

/** A sample that names something the catalog lacks. */
export class SampleError extends Error {}

export function loadCommonSample(cardsDir: string): Record<string, unknown> {
  try {
    const parsed: unknown = parseYaml(readFileSync(join(cardsDir, COMMON_SAMPLES_FILE), 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

function resolve(value: unknown, catalog: Catalog): unknown {
  if (Array.isArray(value)) return value.map((entry) => resolve(entry, catalog));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.$item === 'string') {
    const item = catalog.item(record.$item);
    if (!item) throw new SampleError(`$item: no catalog item "${record.$item}"`);
    return item;
  }
  if (keys.length === 1 && typeof record.$hall === 'string') {
    const hall = catalog.hall(record.$hall);
    if (!hall) throw new SampleError(`$hall: no catalog hall "${record.$hall}"`);
    return hall;
  }
  return Object.fromEntries(keys.map((key) => [key, resolve(record[key], catalog)]));
}

/** The data a template is rendered with for a sample: common data, then the sample's own. */
export function sampleData(sample: Record<string, unknown>, common: Record<string, unknown>, catalog: Catalog): Record<string, unknown> {
  return resolve({ ...common, ...sample }, catalog) as Record<string, unknown>;
}
