/** MongoDB's duplicate key error (E11000): how a unique index says "already recorded". */
const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * The unique index named in a duplicate key error's message ("… index: callbackKey_1 dup key: …"),
 * the one form every MongoDB version and the embedded store share; '_id_' when none is named.
 */
export function duplicateKeyIndex(message: string | undefined): string {
  return /\bindex: (\S+) dup key/.exec(message ?? '')?.[1] ?? '_id_';
}
