/**
 * Messages the bot sends on its own, outside a citizen's turn (a reminder, a queue call): rendered
 * from the same card templates as replies, with the main menu's buttons, and queued in the outbox
 * under a dedupe key, so sending the same notice twice stores it once.
 */
import type { PlatformUser } from '../channels/identity.js';
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

  /** To `to` through its own platform: a user is known per platform, and only it can reach them. */
  async send(to: PlatformUser, template: string, data: Record<string, unknown>, dedupeKey: string): Promise<void> {
    const rendered = this.templates.current().render(template, { ...this.shared, ...data });
    await this.queue.enqueue({ userId: to.userId, platformId: to.platformId, ...rendered }, { dedupeKey });
  }
}
