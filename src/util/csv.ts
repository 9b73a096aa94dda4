/** Rows as CSV (RFC 4180): the header, then each row's fields in its order, quoted when they need it. */
function field(value: string): string {
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs: keep it text.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  return [header, ...rows.map((row) => header.map((key) => row[key] ?? ''))].map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n';
}
