/**
 * Messages the bot sends on its own, outside a citizen's turn (a reminder, a queue call): rendered
 * from the same card templates as replies, with the main menu's buttons, and queued in the outbox
 * under a dedupe key, so sending the same notice twice stores it once.
 */
import type { OutboundQueue } from '../channels/model.js';
import type { TemplateSource } from '../render/liveTemplates.js';
import { menuActions } from './menuActions.js';
import type { PostbackCodec } from './postback.js';

export class Notices {
  private readonly shared: Record<string, unknown>;

  constructor(
    private readonly templates: TemplateSource,
    readonly postbacks: PostbackCodec,
    private readonly queue: OutboundQueue,
  ) {
    this.shared = { menu: menuActions(postbacks) };
  }

  async send(userId: string, template: string, data: Record<string, unknown>, dedupeKey: string): Promise<void> {
    const rendered = this.templates.current().render(template, { ...this.shared, ...data });
    await this.queue.enqueue({ userId, ...rendered }, { dedupeKey });
  }
}
