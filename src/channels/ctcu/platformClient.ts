/**
 * HTTP calls from the chatbot to the CT/CU platform. Each call carries the headers the spec asks
 * for and a timeout; the answer is read as `{errorCode, errorMessage}` whatever the HTTP status,
 * because the platform reports business errors in the body. Connections are kept alive and
 * reused (node's http Agent): a fresh connection per message costs more than the send itself.
 */
import type { Agent as HttpAgent, OutgoingHttpHeaders } from 'node:http';
import type { ChatbotMenu } from '../gsma.js';
import { agentFor, exchange } from '../common/httpExchange.js';
import type { CtcuSendRequest } from './outbound.js';

export { PlatformUnreachable } from '../common/httpExchange.js';

export interface PlatformClientOptions {
  serverRoot: string;
  apiVersion: string;
  chatbotId: string;
  timeoutMs: number;
}

export interface PlatformAnswer {
  httpStatus: number;
  /** 0 on success; the platform's code, or -2 when an error answer carried none. */
  errorCode: number;
  errorMessage?: string;
  body: Record<string, unknown>;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export class PlatformClient {
  private readonly agent: HttpAgent;

  constructor(private readonly options: PlatformClientOptions) {
    this.agent = agentFor(options.serverRoot);
  }

  /** Fetches a new access token; throws PlatformUnreachable or an Error naming the errorCode. */
  async requestToken(appId: string, appKey: string): Promise<IssuedToken> {
    const answer = await this.post('accessToken', { appId, appKey });
    const { accessToken, expires } = answer.body;
    if (answer.errorCode !== 0 || typeof accessToken !== 'string' || accessToken === '') {
      throw new Error(`token request refused: errorCode ${answer.errorCode} ${answer.errorMessage ?? ''}`.trim());
    }
    return { accessToken, expiresInSeconds: typeof expires === 'number' && expires > 0 ? expires : 7200 };
  }

  sendMessage(request: CtcuSendRequest, accessToken: string): Promise<PlatformAnswer> {
    return this.post('messages', request, accessToken);
  }

  updateMenu(menu: ChatbotMenu, accessToken: string): Promise<PlatformAnswer> {
    return this.post('update/chatBotInfo/menu', menu, accessToken);
  }

  revoke(messageId: string, userId: string, accessToken: string): Promise<PlatformAnswer> {
    return this.post('revoke', { messageId, destinationAddress: [userId], status: 'RevokeRequested' }, accessToken);
  }

  /** Closes the idle kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async post(endpoint: string, body: unknown, accessToken?: string): Promise<PlatformAnswer> {
    const { serverRoot, apiVersion, chatbotId, timeoutMs } = this.options;
    const url = new URL(`${serverRoot.replace(/\/$/, '')}/bot/${apiVersion}/${encodeURIComponent(chatbotId)}/${endpoint}`);
    const payload = Buffer.from(JSON.stringify(body));
    const headers: OutgoingHttpHeaders = {
      ...(accessToken ? { authorization: `accessToken ${accessToken}` } : {}),
      'content-type': 'application/json;charset=UTF-8',
      accept: 'application/json',
      date: new Date().toUTCString(),
      'content-length': payload.length,
    };
    const { status, text } = await exchange(url, { method: 'POST', headers, payload, agent: this.agent, timeoutMs, label: endpoint });
    return readAnswer(status, text);
  }
}

function readAnswer(httpStatus: number, text: string): PlatformAnswer {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // A non-JSON answer (a proxy's error page) is judged by its HTTP status below.
  }
  const code = body.errorCode;
  const errorCode = typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : httpStatus < 300 ? 0 : -2;
  const errorMessage = typeof body.errorMessage === 'string' ? body.errorMessage : errorCode === 0 ? undefined : `HTTP ${httpStatus}`;
  return { httpStatus, errorCode: httpStatus >= 500 && errorCode === 0 ? -2 : errorCode, errorMessage, body };
}
