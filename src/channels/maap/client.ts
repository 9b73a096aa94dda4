/**
 * HTTP calls from the chatbot to a MaaP platform: send (POST) and revoke (PUT), in the platform's
 * dialect, authenticated as the dialect wants, over kept-alive connections with a timeout.
 * Answers come back as they are; transport.ts judges them.
 */
import type { Agent as HttpAgent } from 'node:http';
import { agentFor, exchange, type HttpAnswer } from '../common/httpExchange.js';
import { authHeaders, type MaapCredentials } from './auth.js';
import { encodeRequest, encodeRevoke, type Dialect, type Encoded } from './codec.js';
import type { MaapRequest } from './outbound.js';

export interface MaapClientOptions extends MaapCredentials {
  serverRoot: string;
  dialect: Dialect;
  chatbotId: string;
  /** XML dialect: the outbound path the gateway serves. */
  sendPath: 'interaction' | 'group' | 'plain';
  timeoutMs: number;
}

const XML_SEND_PATHS: Record<MaapClientOptions['sendPath'], string> = {
  interaction: 'messaging/interaction/v1/outbound',
  group: 'messaging/group/v1/outbound',
  plain: 'messaging/v1/outbound',
};

/** The path of a send, under the server root (the simulator serves the same). */
export function sendPath(dialect: Dialect, chatbotId: string, variant: MaapClientOptions['sendPath']): string {
  const chatbot = encodeURIComponent(chatbotId);
  return dialect === 'xml' ? `/${XML_SEND_PATHS[variant]}/${chatbot}/requests` : `/openchatbot/v2/${chatbot}/outbound`;
}

/** The path of a revoke, under the server root. */
export function revokePath(dialect: Dialect, chatbotId: string, messageId: string): string {
  const chatbot = encodeURIComponent(chatbotId);
  const message = encodeURIComponent(messageId);
  return dialect === 'xml' ? `/messaging/v1/outbound/${chatbot}/requests/${message}/status` : `/messaging/v2/${chatbot}/${message}/outbound`;
}

export class MaapClient {
  private readonly agent: HttpAgent;

  constructor(private readonly options: MaapClientOptions) {
    this.agent = agentFor(options.serverRoot);
  }

  send(request: MaapRequest): Promise<HttpAnswer> {
    const { dialect, chatbotId, sendPath: variant } = this.options;
    return this.call('POST', sendPath(dialect, chatbotId, variant), encodeRequest(dialect, request), 'send');
  }

  revoke(messageId: string, userId: string): Promise<HttpAnswer> {
    const { dialect, chatbotId } = this.options;
    const extra: Record<string, string> = dialect === 'json' ? { address: userId } : {};
    return this.call('PUT', revokePath(dialect, chatbotId, messageId), encodeRevoke(dialect, userId), 'revoke', extra);
  }

  close(): void {
    this.agent.destroy();
  }

  private call(method: 'POST' | 'PUT', path: string, encoded: Encoded, label: string, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    const url = new URL(`${this.options.serverRoot.replace(/\/$/, '')}${path}`);
    const payload = Buffer.from(encoded.body, 'utf8');
    const headers = {
      ...authHeaders(this.options.dialect, this.options),
      'content-type': encoded.contentType,
      accept: encoded.contentType.split(';')[0] as string,
      'content-length': payload.length,
      ...extra,
    };
    return exchange(url, { method, headers, payload, agent: this.agent, timeoutMs: this.options.timeoutMs, label });
  }
}
