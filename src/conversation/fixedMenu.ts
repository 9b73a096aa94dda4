/**
 * The chatbot's persistent menu (固定菜单), shown under the chat on every phone: content in
 * cards/menus/fixed.yaml, checked against the protocol's limits (at most 3 top-level entries, at
 * most 5 in a sub-menu, two levels, button text within 25 characters), and pushed to the platform
 * at start. An entry runs a postback action of a flow, asks for the phone's location, dials a
 * number or opens a page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ChatbotMenu, MenuEntry, Suggestion } from '../channels/gsma.js';
import { SourceLocator } from '../content/locate.js';
import { ContentError } from '../content/problems.js';
import { LIMITS } from '../render/limits.js';
import type { PostbackCodec } from './postback.js';

export const FIXED_MENU_FILE = 'menus/fixed.yaml';

const displayText = z.string().trim().min(1).max(LIMITS.displayText);
const button = z.union([
  z.strictObject({ displayText, action: z.string().regex(/^[a-z_]+\.[a-z_]+$/), args: z.array(z.string().min(1)).default([]) }),
  z.strictObject({ displayText, requestLocation: z.literal(true) }),
  z.strictObject({ displayText, dial: z.string().regex(/^\+?[0-9][0-9-]{2,30}$/) }),
  z.strictObject({ displayText, openUrl: z.url() }),
]);
const subMenu = z.strictObject({ menu: z.strictObject({ displayText, entries: z.array(button).min(1).max(LIMITS.menuSubEntries) }) });
const menuFile = z.strictObject({
  description: z.string().optional(),
  entries: z.array(z.union([subMenu, button])).min(1).max(LIMITS.menuTopEntries),
});

type Button = z.infer<typeof button>;

function toSuggestion(entry: Button, postbacks: PostbackCodec): Suggestion {
  if ('action' in entry) return { reply: { displayText: entry.displayText, postback: { data: postbacks.encode(entry.action, ...entry.args) } } };
  if ('requestLocation' in entry) return { action: { displayText: entry.displayText, mapAction: { requestLocationPush: {} } } };
  if ('dial' in entry) return { action: { displayText: entry.displayText, dialerAction: { dialPhoneNumber: { phoneNumber: entry.dial } } } };
  return { action: { displayText: entry.displayText, urlAction: { openUrl: { url: entry.openUrl } } } };
}

/**
 * Reads and checks the menu; `knownAction` (when given) refuses entries whose action no flow
 * answers. Throws ContentError naming the file, line and field.
 */
export function loadFixedMenu(cardsDir: string, postbacks: PostbackCodec, knownAction?: (name: string) => boolean): ChatbotMenu {
  const file = FIXED_MENU_FILE;
  const source = readFileSync(join(cardsDir, file), 'utf8');
  const locator = new SourceLocator(source);
  let parsed: unknown;
  try {
    parsed = parseYaml(source);
  } catch (error) {
    throw new ContentError([{ file, line: 1, column: 1, message: `YAML syntax: ${(error as Error).message.split('\n')[0]}` }]);
  }
  const result = menuFile.safeParse(parsed);
  if (!result.success) {
    throw new ContentError(result.error.issues.map((issue) => ({ file, ...locator.positionOf(issue.path), message: `${issue.path.join('.') || '(menu)'}: ${issue.message}` })));
  }
  const buttons = result.data.entries.flatMap((entry, index) => ('menu' in entry ? entry.menu.entries.map((sub, at) => ({ sub, path: ['entries', index, 'menu', 'entries', at] })) : [{ sub: entry, path: ['entries', index] }]));
  const unknown = buttons.filter(({ sub }) => 'action' in sub && knownAction !== undefined && !knownAction(sub.action));
  if (unknown.length > 0) {
    throw new ContentError(unknown.map(({ sub, path }) => ({ file, ...locator.positionOf(path), message: `no flow answers the action "${'action' in sub ? sub.action : ''}"` })));
  }
  const entries = result.data.entries.map((entry): MenuEntry =>
    'menu' in entry ? { menu: { displayText: entry.menu.displayText, entries: entry.menu.entries.map((sub) => toSuggestion(sub, postbacks)) } } : toSuggestion(entry, postbacks),
  );
  return { menu: { entries } };
}
