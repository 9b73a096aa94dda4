/** Content problems carry the file and line they were found at, so staff can fix them directly. */

export interface ContentProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** Thrown when content (intents/, cards/) is invalid; lists every problem found, not only the first. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`invalid content (${problems.length} problem(s)):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ContentError';
  }
}
