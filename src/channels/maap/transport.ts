/**
 * A MaaP platform as the sender sees it: build the request, send it, and judge the answer. There
 * is no token: each request carries the credentials. Transient trouble (network, timeouts, server
 * errors, rate limiting, refused credentials or Date) becomes `retry`; a refusal of the message
 * itself (`SVC0002` bad request, `POL0003` too many addresses, any other exception) becomes
 * `rejected` with the exception id and text as the reason.
 */
import type { OutboundMessage, OutboundTransport, SendOutcome } from '../model.js';
import { PlatformUnreachable, type HttpAnswer } from '../common/httpExchange.js';
import { decodeException } from './codec.js';
import type { MaapClient } from './client.js';
import { toMaapRequest } from './outbound.js';

/** Exceptions worth trying again later: POL0009 rate limited, SVC0001 a service error on the platform. */
const TRANSIENT = new Set(['POL0009', 'SVC0001']);

export function judgeMaapAnswer(answer: HttpAnswer): SendOutcome {
  if (answer.status >= 200 && answer.status < 300) return { kind: 'accepted' };
  const exception = decodeException(answer.text);
  const reason = exception ? `${exception.id}${exception.text ? `: ${exception.text}` : ''} (HTTP ${answer.status})` : `HTTP ${answer.status}`;
  const transient =
    (exception !== undefined && TRANSIENT.has(exception.id)) ||
    answer.status >= 500 ||
    answer.status === 429 ||
    answer.status === 401 ||
    (answer.status === 403 && exception === undefined);
  return { kind: transient ? 'retry' : 'rejected', reason };
}

export class MaapTransport implements OutboundTransport {
  constructor(
    private readonly client: MaapClient,
    private readonly envelope: { chatbotId: string; senderName?: string },
  ) {}

  send(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    const request = toMaapRequest(message, { messageId, ...this.envelope });
    return this.judged(() => this.client.send(request));
  }

  revoke(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    return this.judged(() => this.client.revoke(messageId, message.userId));
  }

  close(): void {
    this.client.close();
  }

  private async judged(call: () => Promise<HttpAnswer>): Promise<SendOutcome> {
    try {
      return judgeMaapAnswer(await call());
    } catch (error) {
      if (error instanceof PlatformUnreachable) return { kind: 'retry', reason: `${error.kind}: ${error.message}` };
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
