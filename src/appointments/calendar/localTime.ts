/**
 * Dates and times as the district lives them, whatever the server's zone: a local date is the
 * string `YYYY-MM-DD`, a time of day is minutes since local midnight. Conversions to and from
 * instants go through Intl with the configured zone (TIMEZONE), never the process's own zone.
 */

/** A calendar day in the district, `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

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

function zonedParts(instant: Date, zone: string): { date: LocalDate; minutes: number } {
  const key = `${zone}|${Math.floor(instant.getTime() / 60_000)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetAt(instant, zone);
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  const local = new Date(instant.getTime() + offset * 60_000);
  return { date: local.toISOString().slice(0, 10), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

export function isLocalDate(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(text);
}

export function localDateOf(instant: Date, zone: string): LocalDate {
  return zonedParts(instant, zone).date;
}

/** Minutes since the district's midnight. */
export function localMinutesOf(instant: Date, zone: string): number {
  return zonedParts(instant, zone).minutes;
}

/** The instant of `minutes` past midnight on `date` in `zone` (zones without a gap at that time). */
export function instantOf(date: LocalDate, minutes: number, zone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let guess = wall;
  // Two rounds settle the zone's offset at that moment (DST changes included).
  for (let round = 0; round < 2; round++) {
    const seen = zonedParts(new Date(guess), zone);
    const seenWall = Date.parse(`${seen.date}T00:00:00Z`) + seen.minutes * 60_000;
    guess += wall - seenWall;
  }
  return new Date(guess);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function parseClock(text: string): number | undefined {
  const match = CLOCK.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
