/**
 * Sets the fixed menu on the platform at start, in the background: the bot serves at once, and
 * a platform that is busy or unreachable is asked again with growing pauses until it takes the
 * menu, refuses it for good (logged with its reason), or the bot stops.
 */
import type { ChatbotMenu } from '../channels/gsma.js';
import type { ChatbotProfile } from '../channels/model.js';
import type { Logger } from '../log.js';

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 60_000;

export function publishMenuInBackground(profile: ChatbotProfile, menu: ChatbotMenu, log: Logger): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const done = (async () => {
    for (let pause = FIRST_PAUSE_MS; !stopping.signal.aborted; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      const outcome = await profile.publishMenu(menu);
      if (outcome.kind === 'accepted') return log.info({ entries: menu.menu.entries.length }, 'fixed menu set on the platform');
      if (outcome.kind === 'rejected') return log.error({ reason: outcome.reason }, 'the platform refused the fixed menu');
      log.warn({ reason: outcome.reason, retryInMs: pause }, 'fixed menu not set yet');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await done;
    },
  };
}
