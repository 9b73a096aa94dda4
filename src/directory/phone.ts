/**
 * Contact numbers: a mainland mobile number in whatever way it was typed (spaces, dashes, +86,
 * 0086 or 86 in front) becomes the `tel:+86…` address the platforms use for a user. Landlines
 * and anything else are not reachable by 5G messages.
 */
const MOBILE = /^1[3-9]\d{9}$/;

/** `tel:+86…` for a mainland mobile number, or undefined when the text is not one. */
export function mobileAddress(text: string): string | undefined {
  let digits = text.normalize('NFKC').replace(/[\s\-().]/g, '');
  if (digits.startsWith('tel:')) digits = digits.slice(4);
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return MOBILE.test(digits) ? `tel:+86${digits}` : undefined;
}

/** 138****8000, for pages and samples that must not show a whole number. */
export function maskedNumber(address: string): string {
  return address.replace(/^tel:\+86(\d{3})\d{4}(\d{4})$/, '$1****$2');
}
