/** Turns zod issues into one short reason a platform operator can act on. */
import type { z } from 'zod';

const MAX_ISSUES = 3;

export function describeIssues(error: z.ZodError, prefix = ''): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [prefix, ...issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))]
      .join('')
      .replace(/^\./, '');
    return `${path || '(body)'}: ${issue.message}`;
  });
  const more = error.issues.length > MAX_ISSUES ? ` (+${error.issues.length - MAX_ISSUES} more)` : '';
  return parts.join('; ') + more;
}
