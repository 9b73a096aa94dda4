/**
 * HTTP calls from the chatbot to the CT/CU platform. Each call carries the headers the spec asks
 * for and a timeout; the answer is read as `{errorCode, errorMessage}` whatever the HTTP status,
 * because the platform reports business errors in the body. Connections are kept alive and
 * reused (node's http Agent): a fresh connection per message costs more than the send itself.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ChatbotMenu } from '../gsma.js';
import type { CtcuSendRequest } from './outbound.js';

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

/** The platform could not be reached, or did not answer in time. */
export class PlatformUnreachable extends Error {
  constructor(
    readonly kind: 'network' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'PlatformUnreachable';
  }
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

// Enough sockets for the sender's concurrent sends; idle ones are kept for the next message.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, scheduling: 'lifo' as const };

export class PlatformClient {
  private readonly agent: HttpAgent;

  constructor(private readonly options: PlatformClientOptions) {
    this.agent = options.serverRoot.startsWith('https:') ? new HttpsAgent(AGENT_OPTIONS) : new HttpAgent(AGENT_OPTIONS);
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
    try {
      const { status, text } = await exchange(url, headers, payload, this.agent, AbortSignal.timeout(timeoutMs));
      return readAnswer(status, text);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new PlatformUnreachable(timedOut ? 'timeout' : 'network', `${endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** One POST: resolves with the status and the whole answer text; the signal bounds both. */
function exchange(url: URL, headers: OutgoingHttpHeaders, payload: Buffer, agent: HttpAgent, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // An abort reports the signal's reason (a TimeoutError for AbortSignal.timeout), as fetch does.
    const fail = (error: Error): void => reject(signal.aborted ? toError(signal.reason, error) : error);
    const outgoing = request(url, { method: 'POST', headers, agent, signal }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', fail);
    });
    outgoing.on('error', fail);
    outgoing.end(payload);
  });
}

function toError(reason: unknown, fallback: Error): Error {
  return reason instanceof Error ? reason : fallback;
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
