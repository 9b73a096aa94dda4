/**
 * The district's policies (intents/policies/*.yaml), loaded and checked at start — each problem
 * named with its file and line — and the questions asked of them: which are open on a day, and
 * which suit an enterprise (by the criteria shared with campaigns, directory/criteria.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { SourceLocator } from '../content/locate.js';
import { ContentError, type ContentProblem } from '../content/problems.js';
import { parseYamlWithSchema } from '../content/yamlSchema.js';
import { evaluate, type Profile, type Verdict } from '../directory/criteria.js';
import type { Vocabulary } from '../directory/vocabulary.js';
import { policySchema, type Policy } from './schema.js';
import { localDate, windowState, type WindowState } from './window.js';

export const POLICIES_DIR = 'policies';

export interface PolicyMatch {
  policy: Policy;
  /** met: every rule holds; unknown: none fails, but some could not be checked (the finder's partial answers). */
  verdict: Exclude<Verdict, 'failed'>;
  window: WindowState;
}

export class Policies {
  private readonly byId: Map<string, Policy>;

  constructor(
    readonly all: readonly Policy[],
    private readonly timeZone: string,
  ) {
    this.byId = new Map(all.map((policy) => [policy.id, policy]));
  }

  get(id: string): Policy | undefined {
    return this.byId.get(id);
  }

  windowOf(policy: Policy, now: Date): WindowState {
    return windowState(policy.window, localDate(now, this.timeZone));
  }

  /**
   * The policies an enterprise may apply for now or soon (open, or opening later), those it
   * surely qualifies for first; within each, open before upcoming, the nearest deadline first.
   */
  matching(profile: Profile, now: Date): PolicyMatch[] {
    const today = localDate(now, this.timeZone);
    const matches: PolicyMatch[] = [];
    for (const policy of this.all) {
      const window = windowState(policy.window, today);
      if (window.state === 'closed') continue;
      const { verdict } = evaluate(profile, policy.eligibility, now);
      if (verdict !== 'failed') matches.push({ policy, verdict, window });
    }
    const rank = (match: PolicyMatch): string =>
      `${match.verdict === 'met' ? 0 : 1}${match.window.state === 'open' ? 0 : 1}${match.window.state === 'open' ? (match.window.closes ?? '9999') : match.window.state === 'upcoming' ? match.window.opens : ''}`;
    return matches.sort((a, b) => rank(a).localeCompare(rank(b)));
  }
}

/** Loads every policy file; throws ContentError naming the file and line of each problem. */
export function loadPolicies(intentsDir: string, vocabulary: Vocabulary, catalog: Catalog, timeZone: string): Policies {
  const dir = join(intentsDir, POLICIES_DIR);
  const problems: ContentProblem[] = [];
  const schema = policySchema(vocabulary);
  const policies: Policy[] = [];
  for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.yaml')).sort()) {
    const file = `${POLICIES_DIR}/${name}`;
    const source = readFileSync(join(dir, name), 'utf8');
    const policy = parseYamlWithSchema(file, source, schema, problems);
    if (!policy) continue;
    const locator = new SourceLocator(source);
    if (`${policy.id}.yaml` !== name) problems.push({ file, ...locator.positionOf(['id']), message: `id: "${policy.id}" must match the file name (${name})` });
    if (policy.item !== undefined && !catalog.item(policy.item)) problems.push({ file, ...locator.positionOf(['item']), message: `item: "${policy.item}" is not an item code of the catalog` });
    policies.push(policy);
  }
  if (policies.length === 0 && problems.length === 0) problems.push({ file: `${POLICIES_DIR}/`, line: 1, column: 1, message: 'no policy files' });
  if (problems.length > 0) throw new ContentError(problems);
  return new Policies(policies, timeZone);
}
