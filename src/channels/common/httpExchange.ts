/**
 * One HTTP request to a carrier platform over a kept-alive agent, bounded by a signal: resolves
 * with the status, headers and the whole answer text. Shared by the carrier clients, which add
 * their own headers and read their own answers.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
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

// Enough sockets for the sender's concurrent sends; idle ones are kept for the next message.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, scheduling: 'lifo' as const };

/** A kept-alive agent for the scheme of `serverRoot`: a fresh connection per message costs more than the send itself. */
export function agentFor(serverRoot: string): HttpAgent {
  return serverRoot.startsWith('https:') ? new HttpsAgent(AGENT_OPTIONS) : new HttpAgent(AGENT_OPTIONS);
}

export interface ExchangeOptions {
  method: 'POST' | 'PUT' | 'GET';
  headers: OutgoingHttpHeaders;
  payload?: Buffer;
  agent: HttpAgent;
  timeoutMs: number;
  /** Names the call in the error of a failed exchange. */
  label: string;
}

/** Throws PlatformUnreachable when there is no answer (network error or timeout). */
export async function exchange(url: URL, options: ExchangeOptions): Promise<HttpAnswer> {
  try {
    return await send(url, options, AbortSignal.timeout(options.timeoutMs));
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new PlatformUnreachable(timedOut ? 'timeout' : 'network', `${options.label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function send(url: URL, options: ExchangeOptions, signal: AbortSignal): Promise<HttpAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // An abort reports the signal's reason (a TimeoutError for AbortSignal.timeout), as fetch does.
    const fail = (error: Error): void => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : error);
    const outgoing = request(url, { method: options.method, headers: options.headers, agent: options.agent, signal }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', fail);
    });
    outgoing.on('error', fail);
    outgoing.end(options.payload);
  });
}
