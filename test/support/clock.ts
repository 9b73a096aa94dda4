/** Clocks for tests that depend on the hall's hours, whatever day and hour the suite runs. */

/**
 * A clock running from the next `weekday` (0 Sunday … 6 Saturday) at `utcHour`:00 UTC, moving
 * with real time from there. 02:00 UTC is 10:00 in Shenzhen.
 */
export function clockFromNext(weekday: number, utcHour: number): () => Date {
  const now = new Date();
  const target = new Date(now);
  target.setUTCHours(utcHour, 0, 0, 0);
  while (target.getUTCDay() !== weekday || target <= now) target.setUTCDate(target.getUTCDate() + 1);
  const offset = target.getTime() - now.getTime();
  return () => new Date(Date.now() + offset);
}

/** Thursday 10:00 in Shenzhen: human agents are on duty. */
export const agentsInClock = (): (() => Date) => clockFromNext(4, 2);
