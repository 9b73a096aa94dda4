/**
 * When human agents answer (cards/menus/human-agents.yaml): opening times per weekday in the
 * district's time zone, the wording citizens see, and the average minutes an agent spends per
 * conversation (for the expected wait). Checked at load with file and line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SourceLocator } from '../content/locate.js';
import { ContentError } from '../content/problems.js';

export const AGENT_HOURS_FILE = 'menus/human-agents.yaml';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

const file = z.strictObject({
  description: z.string().optional(),
  hoursText: z.string().trim().min(1),
  minutesPerConversation: z.number().positive(),
  hours: z.strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(z.string().regex(RANGE, 'must look like 09:00-12:00'))])) as Record<(typeof WEEKDAYS)[number], z.ZodArray<z.ZodString>>),
});

/** Minutes since midnight of each opening range, per weekday (0 = Sunday). */
type Week = Array<Array<[number, number]>>;

function minutesOf(range: string): [number, number] {
  const [, h1, m1, h2, m2] = RANGE.exec(range) as unknown as [string, string, string, string, string];
  return [Number(h1) * 60 + Number(m1), Number(h2) * 60 + Number(m2)];
}

export class AgentHours {
  private constructor(
    private readonly week: Week,
    readonly hoursText: string,
    readonly minutesPerConversation: number,
    private readonly timeZone: string,
  ) {}

  static load(cardsDir: string, timeZone: string): AgentHours {
    const source = readFileSync(join(cardsDir, AGENT_HOURS_FILE), 'utf8');
    const result = file.safeParse(parseYaml(source));
    if (!result.success) {
      const locator = new SourceLocator(source);
      throw new ContentError(result.error.issues.map((issue) => ({ file: AGENT_HOURS_FILE, ...locator.positionOf(issue.path), message: `${issue.path.join('.')}: ${issue.message}` })));
    }
    const week = WEEKDAYS.map((day) => result.data.hours[day].map(minutesOf));
    return new AgentHours(week, result.data.hoursText, result.data.minutesPerConversation, timeZone);
  }

  /** Whether agents answer at `at`. */
  isOpen(at: Date): boolean {
    const { weekday, minutes } = this.local(at);
    return (this.week[weekday] ?? []).some(([from, to]) => minutes >= from && minutes < to);
  }

  /** The expected wait in minutes for a citizen at `place` in the queue (rounded up). */
  expectedWait(place: number): number {
    return Math.ceil(place * this.minutesPerConversation);
  }

  private local(at: Date): { weekday: number; minutes: number } {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
    const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
    return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
  }
}
