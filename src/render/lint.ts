/**
 * `npm run cards:lint`: every template rendered with every one of its samples, as is (before the
 * limits are enforced), and checked against the card schema and the carrier limits. A problem
 * names the template file, the line that produced the field, the field, and the sample.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ContentProblem } from '../content/problems.js';
import { loadCommonSample, sampleData, SampleError } from './samples.js';
import type { TemplateSet } from './templateSet.js';

export interface LintReport {
  templates: number;
  samples: number;
  problems: ContentProblem[];
}

export function lintTemplates(templates: TemplateSet, cardsDir: string, catalog: Catalog): LintReport {
  const common = loadCommonSample(cardsDir);
  const problems: ContentProblem[] = [];
  let samples = 0;
  for (const name of templates.names()) {
    const template = templates.get(name);
    if (!template) continue;
    for (const [sample, raw] of template.samples) {
      samples++;
      const tag = (message: string): string => `${message} [sample "${sample}"]`;
      try {
        const data = sampleData(raw, common, catalog);
        const rendered = templates.renderRaw(name, data);
        for (const problem of templates.check(name, rendered.message, rendered.lines)) problems.push({ ...problem, message: tag(problem.message) });
      } catch (error) {
        const file = error instanceof SampleError ? `templates/${name}.samples.yaml` : template.file;
        problems.push({ file, line: 1, column: 1, message: tag((error as Error).message) });
      }
    }
  }
  return { templates: templates.names().length, samples, problems };
}
