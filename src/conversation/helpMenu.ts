/**
 * What the help card offers (cards/menus/help.yaml): popular items as a carousel and themes as
 * chips. Content staff choose them; every code and theme is checked against the catalog at load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { ContentError, type ContentProblem } from '../content/problems.js';
import { readYamlFile } from '../content/yamlFile.js';
import { LIMITS } from '../render/limits.js';

export interface HelpMenu {
  /** Item codes, shown as a carousel. */
  popular: string[];
  /** Catalog themes, shown as chips. */
  themes: string[];
}

export const HELP_MENU_FILE = 'menus/help.yaml';
/** Chips the help card adds beside the themes (转人工, 大厅信息, 办件进度). */
const OTHER_CHIPS = 3;

export function loadHelpMenu(cardsDir: string, catalog: Catalog): HelpMenu {
  const problems: ContentProblem[] = [];
  const file = HELP_MENU_FILE;
  const fields = readYamlFile(file, readFileSync(join(cardsDir, file), 'utf8'), {
    description: { kind: 'string', required: false },
    popular: { kind: 'stringList', required: true },
    themes: { kind: 'stringList', required: true },
  }, problems);
  const popular = fields.stringList.get('popular') ?? [];
  const themes = fields.stringList.get('themes') ?? [];
  const known = new Set(catalog.themes());
  for (const code of popular) if (!catalog.item(code.value)) problems.push({ file, line: code.line, column: code.column, message: `"${code.value}" is not an item code of the catalog` });
  for (const theme of themes) if (!known.has(theme.value)) problems.push({ file, line: theme.line, column: theme.column, message: `"${theme.value}" is not a theme of the catalog` });
  if (popular.length < LIMITS.carouselMin || popular.length > LIMITS.carouselMax) {
    problems.push({ file, line: popular[0]?.line ?? 1, column: 1, message: `"popular" needs ${LIMITS.carouselMin} to ${LIMITS.carouselMax} items (a carousel)` });
  }
  if (themes.length > LIMITS.chips - OTHER_CHIPS) {
    problems.push({ file, line: themes[0]?.line ?? 1, column: 1, message: `"themes" can have at most ${LIMITS.chips - OTHER_CHIPS} entries (chips are limited to ${LIMITS.chips})` });
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { popular: popular.map((entry) => entry.value), themes: themes.map((entry) => entry.value) };
}
