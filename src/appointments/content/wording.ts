/**
 * The wordings that mark a message as a booking ("预约", "帮我约") or a reschedule ("改到",
 * "换个时间"), from intents/appointments/wording.yaml: a list content staff extend when a way of
 * saying it was missed, matched as plain substrings of the message (after NFKC).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentError, type ContentProblem } from '../../content/problems.js';
import { readYamlFile } from '../../content/yamlFile.js';

export const WORDING_FILE = 'appointments/wording.yaml';

export class AppointmentWording {
  constructor(
    readonly book: readonly string[],
    readonly reschedule: readonly string[],
  ) {}

  /** The booking wordings found in `text`, longest first. */
  bookingCues(text: string): string[] {
    const normalized = text.normalize('NFKC');
    return this.book.filter((cue) => normalized.includes(cue)).sort((a, b) => b.length - a.length);
  }

  asksToReschedule(text: string): boolean {
    const normalized = text.normalize('NFKC');
    return this.reschedule.some((cue) => normalized.includes(cue));
  }
}

export function parseWording(source: string, file = WORDING_FILE): AppointmentWording {
  const problems: ContentProblem[] = [];
  const fields = readYamlFile(file, source, { book: { kind: 'stringList', required: true }, reschedule: { kind: 'stringList', required: true } }, problems);
  if (problems.length > 0) throw new ContentError(problems);
  const list = (key: string): string[] => (fields.stringList.get(key) ?? []).map((entry) => entry.value.normalize('NFKC'));
  return new AppointmentWording(list('book'), list('reschedule'));
}

export function loadWording(intentsDir: string): AppointmentWording {
  return parseWording(readFileSync(join(intentsDir, WORDING_FILE), 'utf8'));
}
