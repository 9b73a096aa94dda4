/**
 * Loads intents/appointments/halls.yaml and calendar.yaml and checks them against the schema and
 * the catalog: halls and items that exist, every bookable item served by some window group, one
 * group per id, window and queue prefix in a hall, calendar entries naming real halls and groups,
 * a reminder time outside the quiet hours. Every problem names its file and line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Catalog } from '../../catalog/catalog.js';
import { SourceLocator } from '../../content/locate.js';
import { ContentError, type ContentProblem } from '../../content/problems.js';
import { calendarFileSchema, hallsFileSchema, inRange, type BookingRules, type CalendarFile, type HallCapacity, type HallsFile } from './schema.js';

export const HALLS_FILE = 'appointments/halls.yaml';
export const CALENDAR_FILE = 'appointments/calendar.yaml';

export interface AppointmentContent {
  rules: BookingRules;
  halls: HallCapacity[];
  calendar: CalendarFile;
}

type Report = (path: readonly PropertyKey[], message: string) => void;

function parseFile<S extends z.ZodType>(file: string, source: string, schema: S, problems: ContentProblem[]): { data?: z.infer<S>; report: Report } {
  const locator = new SourceLocator(source);
  const report: Report = (path, message) => problems.push({ file, ...locator.positionOf(path), message });
  let parsed: unknown;
  try {
    parsed = parseYaml(source, { uniqueKeys: true });
  } catch (error) {
    const position = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0] ?? { line: 1, col: 1 };
    problems.push({ file, line: position.line, column: position.col, message: `YAML syntax: ${(error as Error).message.split('\n')[0]}` });
    return { report };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    for (const issue of result.error.issues) report(issue.path, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { report };
  }
  return { data: result.data, report };
}

function checkHalls(data: HallsFile, catalog: Catalog, report: Report): void {
  const served = new Set<string>();
  for (const [hallId, hall] of Object.entries(data.halls)) {
    if (!catalog.hall(hallId)) report(['halls', hallId], `hall "${hallId}" is not in the catalog (${catalog.halls.map((h) => h.id).join(', ')})`);
    const seen = { id: new Set<string>(), window: new Set<string>(), prefix: new Set<string>() };
    hall.groups.forEach((group, index) => {
      const at = ['halls', hallId, 'groups', index];
      if (seen.id.has(group.id)) report([...at, 'id'], `two groups named "${group.id}" in hall ${hallId}`);
      if (seen.prefix.has(group.queuePrefix)) report([...at, 'queuePrefix'], `queue prefix ${group.queuePrefix} is used by two groups of hall ${hallId}`);
      seen.id.add(group.id);
      seen.prefix.add(group.queuePrefix);
      group.windows.forEach((window, windowIndex) => {
        if (seen.window.has(window)) report([...at, 'windows', windowIndex], `window ${window} is in two groups of hall ${hallId}`);
        seen.window.add(window);
      });
      group.items.forEach((code, itemIndex) => {
        const item = catalog.item(code);
        if (!item) report([...at, 'items', itemIndex], `no catalog item "${code}"`);
        else if (!item.appointment) report([...at, 'items', itemIndex], `item "${code}" is not bookable in the catalog (appointment: false)`);
        served.add(code);
      });
    });
  }
  for (const item of catalog.items) {
    if (item.appointment && !served.has(item.code)) report(['halls'], `item "${item.code}" is bookable (appointment: true) but no window group serves it`);
  }
  const { reminder } = data.rules;
  if (inRange(reminder.at, reminder.quietHours)) report(['rules', 'reminder', 'at'], 'the reminder time falls in the quiet hours');
}

function checkCalendar(calendar: CalendarFile, halls: HallsFile['halls'], report: Report): void {
  const entries = [...calendar.closures.map((entry, index) => ({ entry, at: ['closures', index] })), ...calendar.extraDays.map((entry, index) => ({ entry, at: ['extraDays', index] }))];
  for (const { entry, at } of entries) {
    (entry.halls ?? []).forEach((hallId, index) => {
      if (!halls[hallId]) report([...at, 'halls', index], `no hall "${hallId}" in ${HALLS_FILE}`);
    });
    const groups = 'groups' in entry && Array.isArray(entry.groups) ? (entry.groups as string[]) : [];
    groups.forEach((groupId, index) => {
      const known = Object.entries(halls).some(([hallId, hall]) => (entry.halls ?? [hallId]).includes(hallId) && hall.groups.some((group) => group.id === groupId));
      if (!known) report([...at, 'groups', index], `no group "${groupId}" in the halls named`);
    });
  }
}

/** Parses both files' text; throws ContentError listing every problem with its file and line. */
export function parseAppointmentContent(hallsSource: string, calendarSource: string, catalog: Catalog): AppointmentContent {
  const problems: ContentProblem[] = [];
  const halls = parseFile(HALLS_FILE, hallsSource, hallsFileSchema, problems);
  const calendar = parseFile(CALENDAR_FILE, calendarSource, calendarFileSchema, problems);
  if (halls.data) checkHalls(halls.data, catalog, halls.report);
  if (halls.data && calendar.data) checkCalendar(calendar.data, halls.data.halls, calendar.report);
  if (problems.length > 0 || !halls.data || !calendar.data) throw new ContentError(problems);
  const { defaults } = halls.data;
  return {
    rules: halls.data.rules,
    halls: Object.entries(halls.data.halls).map(([hallId, hall]) => ({
      hallId,
      slotMinutes: hall.slotMinutes ?? defaults.slotMinutes,
      horizonWorkingDays: hall.horizonWorkingDays ?? defaults.horizonWorkingDays,
      hours: hall.hours,
      groups: hall.groups,
    })),
    calendar: calendar.data,
  };
}

export function loadAppointmentContent(intentsDir: string, catalog: Catalog): AppointmentContent {
  const read = (file: string): string => readFileSync(join(intentsDir, file), 'utf8');
  return parseAppointmentContent(read(HALLS_FILE), read(CALENDAR_FILE), catalog);
}
