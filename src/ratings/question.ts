/**
 * The question itself (cards/templates/rating-ask.yaml): why it is asked, what it is about (the
 * items, whether an agent served), and the five levels as chips, each a signed postback
 * `rating.give <invitation> <level>`. The same reply whether a turn asks or the bot asks on its own.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Reply } from '../conversation/context.js';
import type { LevelNames } from './levels.js';
import type { Invitation } from './records.js';

export const QUESTION_TEMPLATE = 'rating-ask';

export interface QuestionMaker {
  action(action: string, ...args: Array<string | number>): string;
  catalog: Catalog;
  levels: LevelNames;
}

export function questionReply(invitation: Invitation, maker: QuestionMaker, reason = invitation.reason): Reply {
  return {
    template: QUESTION_TEMPLATE,
    data: {
      reason,
      handoff: invitation.kinds.includes('handoff'),
      visit: invitation.kinds.includes('visit'),
      items: invitation.items.map((code) => maker.catalog.item(code)?.name ?? code),
      levels: maker.levels.all().map(({ level, name }) => ({ level, name, action: maker.action('rating.give', invitation._id, level) })),
    },
  };
}
