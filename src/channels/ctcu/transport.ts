/**
 * The CT/CU carrier as the sender sees it: build the request, attach a valid token, send, and
 * judge the answer. A refused token is renewed once and the send retried at once; transient
 * trouble becomes `retry`, a refusal of the message itself becomes `rejected`.
 */
import type { ChatbotMenu } from '../gsma.js';
import type { ChatbotProfile, OutboundMessage, OutboundTransport, SendOutcome } from '../model.js';
import { toSendRequest } from './outbound.js';
import { PlatformUnreachable, type PlatformAnswer, type PlatformClient } from './platformClient.js';
import type { TokenManager } from './tokenManager.js';

/** The token was invalid (40001), superseded (40014) or expired (42001). */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);

/**
 * Worth trying again later: busy, internal error, quotas and rate (30001–30004), call limit.
 * Everything else the platform refuses (20002, 40008, 40016–40021, 46001, 47001, 60001, 70001…)
 * is about the message itself and will not get better.
 */
const TRANSIENT = new Set([-1, -2, 30001, 30002, 30003, 30004, 45001]);

export function judgeAnswer(answer: PlatformAnswer): SendOutcome {
  if (answer.errorCode === 0) return { kind: 'accepted' };
  const reason = `errorCode ${answer.errorCode}${answer.errorMessage ? `: ${answer.errorMessage}` : ''}`;
  if (TRANSIENT.has(answer.errorCode) || TOKEN_REFUSED.has(answer.errorCode) || answer.httpStatus >= 500 || answer.httpStatus === 429) {
    return { kind: 'retry', reason, errorCode: answer.errorCode };
  }
  return { kind: 'rejected', reason, errorCode: answer.errorCode };
}

export class CtcuTransport implements OutboundTransport, ChatbotProfile {
  constructor(
    private readonly client: PlatformClient,
    private readonly tokens: TokenManager,
    private readonly chatbotId: string,
  ) {}

  send(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    const request = toSendRequest(message, { messageId, chatbotId: this.chatbotId });
    return this.withToken((token) => this.client.sendMessage(request, token));
  }

  publishMenu(menu: ChatbotMenu): Promise<SendOutcome> {
    return this.withToken((token) => this.client.updateMenu(menu, token));
  }

  revoke(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    return this.withToken((token) => this.client.revoke(messageId, message.userId, token));
  }

  close(): void {
    this.client.close();
  }

  /** One call with a valid token; a refused token is renewed once and the call made again at once. */
  private async withToken(call: (token: string) => Promise<PlatformAnswer>): Promise<SendOutcome> {
    try {
      let token = await this.tokens.current();
      let answer = await call(token);
      if (TOKEN_REFUSED.has(answer.errorCode)) {
        token = await this.tokens.renewAfterRejection(token);
        answer = await call(token);
      }
      return judgeAnswer(answer);
    } catch (error) {
      if (error instanceof PlatformUnreachable) return { kind: 'retry', reason: `${error.kind}: ${error.message}` };
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
