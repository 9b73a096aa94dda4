/** Drops a record's absent optional fields, so that stored records and comparisons stay clean (the driver would store them as null). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
