/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority, entity type, the
 * 6-digit administrative division, the 9-character organisation code, and a check character
 * computed over the first 17 with weights 3^i mod 31 in an alphabet of 31 characters (no I, O,
 * S, V or Z). A typo in any one character, or two neighbours swapped, changes the check.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type CreditCodeProblem = 'length' | 'characters' | 'check';

/** The check character of the first 17 characters (which must be in the alphabet). */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += ALPHABET.indexOf(first17[index] as string) * (WEIGHTS[index] as number);
  return ALPHABET[(31 - (sum % 31)) % 31] as string;
}

/** Upper-cased and trimmed (codes are often typed in lower case); not otherwise corrected. */
export function normalizeCreditCode(value: string): string {
  return value.trim().toUpperCase();
}

/** Why a (normalised) code is not a valid one, or undefined when it is. */
export function creditCodeProblem(code: string): CreditCodeProblem | undefined {
  if (code.length !== 18) return 'length';
  if (!SHAPE.test(code)) return 'characters';
  return creditCodeCheck(code.slice(0, 17)) === code[17] ? undefined : 'check';
}

export const CREDIT_CODE_ALPHABET = ALPHABET;
