/**
 * Wall-clock time in a time zone, whatever the server's own zone: the one place that asks Intl
 * for a zone's offset. Appointments (appointments/calendar/localTime.ts) and ratings
 * (ratings/days.ts) read days and times through it.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC in minutes at `instant`, from Intl. */
function offsetAt(instant: Date, zone: string): number {
  const parts = formatter(zone).formatToParts(instant);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * Offsets by zone and UTC minute. A zone's offset changes only on a whole minute, so one Intl call
 * serves every instant of that minute — every turn in it asks for today's date (an Intl call costs
 * several microseconds, the lookup a fraction of one).
 */
const offsets = new Map<string, number>();
const MAX_OFFSETS = 4_096;

function cachedOffset(instant: Date, zone: string): number {
  const key = `${zone}|${Math.floor(instant.getTime() / 60_000)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetAt(instant, zone);
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The date (`YYYY-MM-DD`) and the minutes since midnight that a clock in `zone` shows at `instant`. */
export function wallTime(instant: Date, zone: string): { date: string; minutes: number } {
  const local = new Date(instant.getTime() + cachedOffset(instant, zone) * 60_000);
  return { date: local.toISOString().slice(0, 10), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The instant a clock in `zone` shows `minutes` past midnight on `date` (zones without a gap at that time). */
export function instantAt(date: string, minutes: number, zone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let guess = wall;
  // Two rounds settle the zone's offset at that moment (DST changes included).
  for (let round = 0; round < 2; round++) {
    const seen = wallTime(new Date(guess), zone);
    const seenWall = Date.parse(`${seen.date}T00:00:00Z`) + seen.minutes * 60_000;
    guess += wall - seenWall;
  }
  return new Date(guess);
}
