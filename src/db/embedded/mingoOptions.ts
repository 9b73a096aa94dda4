/**
 * Options for every mingo call: no server-side JavaScript ($where, $function, $accumulator),
 * like a MongoDB started with --noscripting; a query from the network never runs code.
 */
export const MINGO = { scriptEnabled: false } as const;
