/**
 * Quiet hours (RATING_QUIET_HOURS, e.g. 21:00-08:00 in the district's time zone): no question is
 * sent on the bot's own initiative then; it waits for the morning. A range may cross midnight.
 */
import { wallClock } from './days.js';

export const QUIET_HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export class QuietHours {
  private constructor(
    /** Minutes after midnight; from === to means never quiet. */
    private readonly from: number,
    private readonly to: number,
    private readonly timeZone: string,
  ) {}

  /** `HH:MM-HH:MM`, or empty for none. */
  static parse(range: string, timeZone: string): QuietHours {
    if (range === '') return new QuietHours(0, 0, timeZone);
    const match = QUIET_HOURS.exec(range);
    if (!match) throw new Error(`quiet hours must look like 21:00-08:00: ${range}`);
    const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
    return new QuietHours(h1 * 60 + m1, h2 * 60 + m2, timeZone);
  }

  isQuiet(at: Date): boolean {
    if (this.from === this.to) return false;
    const { minutes } = wallClock(at, this.timeZone);
    return this.from < this.to ? minutes >= this.from && minutes < this.to : minutes >= this.from || minutes < this.to;
  }
}
