/**
 * HTTP calls from the chatbot to the CT/CU platform. Each call carries the headers the spec asks
 * for and a timeout; the answer is read as `{errorCode, errorMessage}` whatever the HTTP status,
 * because the platform reports business errors in the body.
 */
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

export class PlatformClient {
  constructor(private readonly options: PlatformClientOptions) {}

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

  revoke(messageId: string, userId: string, accessToken: string): Promise<PlatformAnswer> {
    return this.post('revoke', { messageId, destinationAddress: [userId], status: 'RevokeRequested' }, accessToken);
  }

  private async post(endpoint: string, body: unknown, accessToken?: string): Promise<PlatformAnswer> {
    const { serverRoot, apiVersion, chatbotId, timeoutMs } = this.options;
    const url = `${serverRoot.replace(/\/$/, '')}/bot/${apiVersion}/${encodeURIComponent(chatbotId)}/${endpoint}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          ...(accessToken ? { authorization: `accessToken ${accessToken}` } : {}),
          'content-type': 'application/json;charset=UTF-8',
          accept: 'application/json',
          date: new Date().toUTCString(),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new PlatformUnreachable(timedOut ? 'timeout' : 'network', `${endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return readAnswer(response.status, text);
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
