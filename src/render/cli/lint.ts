/**
 * `npm run cards:lint`: checks every card template with its samples, the help menu, the fixed
 * menu and the names of the rating levels. Prints `file:line: message` for each problem and exits
 * 1 if there is any.
 */
import { resolve } from 'node:path';
import { loadCatalog } from '../../catalog/catalog.js';
import { ContentError, formatProblem } from '../../content/problems.js';
import { loadHelpMenu } from '../../conversation/helpMenu.js';
import { loadFixedMenu } from '../../conversation/fixedMenu.js';
import { PostbackCodec } from '../../conversation/postback.js';
import { LevelNames } from '../../ratings/levels.js';
import { lintTemplates } from '../lint.js';
import { TemplateSet } from '../templateSet.js';

const cardsDir = resolve(process.argv[2] ?? 'cards');
const intentsDir = resolve(process.argv[3] ?? 'intents');

function main(): number {
  try {
    const catalog = loadCatalog(intentsDir);
    const templates = TemplateSet.load(cardsDir, { timeZone: 'Asia/Shanghai' });
    loadHelpMenu(cardsDir, catalog);
    loadFixedMenu(cardsDir, new PostbackCodec('lint'));
    LevelNames.load(cardsDir);
    const report = lintTemplates(templates, cardsDir, catalog);
    for (const problem of report.problems) console.log(`cards/${formatProblem(problem)}`);
    console.log(`${report.templates} templates, ${report.samples} samples: ${report.problems.length === 0 ? 'no problems' : `${report.problems.length} problem(s)`}`);
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    for (const problem of error.problems) console.log(formatProblem(problem));
    return 1;
  }
}

process.exitCode = main();
