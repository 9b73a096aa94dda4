/**
 * The buttons of the main menu, offered under many cards (cards/partials/main-menu.yaml uses
 * them as `menu.help`, `menu.halls` …) and in the fixed menu. Every template gets them.
 */
import type { PostbackCodec } from './postback.js';

export type MenuActions = Record<'help' | 'halls' | 'progress' | 'human' | 'appointments' | 'policies', string>;

export function menuActions(postbacks: PostbackCodec): MenuActions {
  return {
    help: postbacks.encode('help.menu'),
    halls: postbacks.encode('hall.list'),
    progress: postbacks.encode('progress.ask'),
    human: postbacks.encode('handoff.request'),
    appointments: postbacks.encode('appointment.mine'),
    policies: postbacks.encode('policy.start'),
  };
}
