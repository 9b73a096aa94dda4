/**
 * When a policy takes applications: all year (常年受理), a window that recurs every year
 * (from March 1 to April 30, or across the new year from November 1 to January 31), or one
 * window between two dates. Days are the district's days (TIMEZONE), inclusive at both ends.
 */
export type ApplicationWindow = { rolling: true } | { annual: { from: string; to: string } } | { from: string; to: string };

/** Where a window stands on a day: open (until `closes`, none when rolling), opening later, or over. */
export type WindowState = { state: 'open'; closes?: string } | { state: 'upcoming'; opens: string; closes: string } | { state: 'closed'; closed: string };

/** The district's date of an instant, "YYYY-MM-DD". */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function windowState(window: ApplicationWindow, today: string): WindowState {
  if ('rolling' in window) return { state: 'open' };
  if ('annual' in window) {
    const { from, to } = window.annual;
    const year = Number(today.slice(0, 4));
    const monthDay = today.slice(5);
    const wraps = from > to;
    if (wraps) {
      if (monthDay >= from) return { state: 'open', closes: `${year + 1}-${to}` };
      if (monthDay <= to) return { state: 'open', closes: `${year}-${to}` };
      return { state: 'upcoming', opens: `${year}-${from}`, closes: `${year + 1}-${to}` };
    }
    if (monthDay < from) return { state: 'upcoming', opens: `${year}-${from}`, closes: `${year}-${to}` };
    if (monthDay <= to) return { state: 'open', closes: `${year}-${to}` };
    return { state: 'upcoming', opens: `${year + 1}-${from}`, closes: `${year + 1}-${to}` };
  }
  if (today < window.from) return { state: 'upcoming', opens: window.from, closes: window.to };
  if (today <= window.to) return { state: 'open', closes: window.to };
  return { state: 'closed', closed: window.to };
}
