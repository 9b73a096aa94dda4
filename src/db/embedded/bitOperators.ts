/**
 * `$bitsAllSet`, `$bitsAnySet`, `$bitsAllClear`, `$bitsAnyClear` as MongoDB has them: on integers
 * of any BSON type (two's complement, so a negative number has every high bit set) and on binary
 * data (bit 0 is the lowest bit of the first byte); other values never match. The argument is a
 * list of bit positions, a non-negative integer bitmask, or binary data as a bitmask.
 */
import { Binary, Double, Int32, Long } from 'bson';
import { badValue } from './errors.js';
import { queryValues } from './queryOperators.js';
import type { AnyObject, Options } from 'mingo/types';

type BitAt = (position: number) => boolean;

function integerOf(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (value instanceof Long) return value.toBigInt();
  const number = typeof value === 'number' ? value : value instanceof Int32 || value instanceof Double ? value.value : Number.NaN;
  return Number.isInteger(number) ? BigInt(number) : undefined;
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Binary) return value.buffer;
  return value instanceof Uint8Array ? value : undefined;
}

/** How to read one bit of a stored value, or undefined for a value bit tests never match. */
function bitReader(value: unknown): BitAt | undefined {
  const integer = integerOf(value);
  if (integer !== undefined) return (position) => ((integer >> BigInt(position)) & 1n) === 1n;
  const bytes = bytesOf(value);
  if (bytes) return (position) => (((bytes[position >> 3] ?? 0) >> (position & 7)) & 1) === 1;
  return undefined;
}

function setPositions(read: BitAt, width: number): number[] {
  const positions: number[] = [];
  for (let position = 0; position < width; position++) if (read(position)) positions.push(position);
  return positions;
}

/** The bit positions an operator's argument names. */
function positionsOf(name: string, argument: unknown): number[] {
  if (Array.isArray(argument)) {
    const positions = argument.map(Number);
    if (positions.some((position) => !Number.isInteger(position) || position < 0)) throw badValue(`bit positions in ${name} must be non-negative integers`);
    return positions;
  }
  const bytes = bytesOf(argument);
  if (bytes) return setPositions(bitReader(argument) as BitAt, bytes.length * 8);
  const mask = integerOf(argument);
  if (mask === undefined || mask < 0n) throw badValue(`${name} takes an Array, a number, or a BinData but received: ${String(argument)}`);
  return setPositions((position) => ((mask >> BigInt(position)) & 1n) === 1n, mask.toString(2).length);
}

function bitOperator(name: string, wantSet: boolean, all: boolean) {
  return (path: string, argument: unknown, _options?: Options) => {
    const positions = positionsOf(name, argument);
    const parts = path.split('.');
    return (doc: AnyObject): boolean =>
      queryValues(doc, parts).some((value) => {
        const read = bitReader(value);
        if (!read) return false;
        const test = (position: number): boolean => read(position) === wantSet;
        return all ? positions.every(test) : positions.some(test);
      });
  };
}

export const bitOperators = {
  $bitsAllSet: bitOperator('$bitsAllSet', true, true),
  $bitsAnySet: bitOperator('$bitsAnySet', true, false),
  $bitsAllClear: bitOperator('$bitsAllClear', false, true),
  $bitsAnyClear: bitOperator('$bitsAnyClear', false, false),
};
