/**
 * What the preview page shows: every template with each of its samples, rendered as the phone
 * will get it (limits enforced), in the phone page's own message format, beside the problems
 * `cards:lint` finds in the sample as written and the fallback SMS.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { ContentProblem } from '../../content/problems.js';
import { lintTemplates } from '../lint.js';
import type { RenderedMessage } from '../renderedMessage.js';
import { loadCommonSample, sampleData } from '../samples.js';
import type { LiveTemplates } from '../liveTemplates.js';

/** A message part as the phone page draws it (the simulator's ReceivedPart). */
type PhonePart = { kind: 'text'; text: string } | { kind: 'card'; card: unknown } | { kind: 'chips'; suggestions: unknown[] };

export interface PreviewSample {
  name: string;
  parts: PhonePart[] | null;
  sms: string | null;
  problems: string[];
}

export interface PreviewTemplate {
  name: string;
  file: string;
  description: string | null;
  samples: PreviewSample[];
}

export interface PreviewData {
  /** Set when the files on disk do not load: the page shows the last set that did. */
  loadProblems: string[];
  templates: PreviewTemplate[];
}

function phoneParts(message: RenderedMessage): PhonePart[] {
  const parts: PhonePart[] = [message.body.type === 'text' ? { kind: 'text', text: message.body.text } : { kind: 'card', card: message.body.card }];
  if (message.suggestions) parts.push({ kind: 'chips', suggestions: message.suggestions });
  return parts;
}

const describe = (problem: ContentProblem): string => `${problem.file}:${problem.line}: ${problem.message}`;

export function previewData(live: LiveTemplates, catalog: Catalog): PreviewData {
  const set = live.current();
  const common = loadCommonSample(live.cardsDir);
  const lint = lintTemplates(set, live.cardsDir, catalog).problems;
  const templates = set.names().map((name): PreviewTemplate => {
    const template = set.get(name);
    const samples = [...(template?.samples ?? new Map<string, Record<string, unknown>>())].map(([sample, raw]): PreviewSample => {
      const files = [template?.file, `templates/${name}.samples.yaml`];
      const problems = lint.filter((problem) => files.includes(problem.file) && problem.message.endsWith(`[sample "${sample}"]`)).map(describe);
      try {
        const message = set.render(name, sampleData(raw, common, catalog));
        return { name: sample, parts: phoneParts(message), sms: message.smsFallback ?? null, problems };
      } catch (error) {
        return { name: sample, parts: null, sms: null, problems: [...problems, (error as Error).message] };
      }
    });
    return { name, file: template?.file ?? name, description: template?.description ?? null, samples };
  });
  return { loadProblems: live.problem?.problems.map(describe) ?? [], templates };
}
