/**
 * The CT/CU adapter's outbound side for one configured chatbot: its platform client, the access
 * token shared by every bot process through the database, and the transport the sender uses.
 */
import type { Connection } from 'mongoose';
import type { Logger } from '../../log.js';
import type { CtcuPlatformConfig } from '../platformConfig.js';
import { PlatformClient } from './platformClient.js';
import { TokenManager, type TokenManagerOptions } from './tokenManager.js';
import { CtcuTransport } from './transport.js';

export interface CtcuTransportOptions {
  requestTimeoutMs?: number;
  token?: TokenManagerOptions;
}

/** `serverRoot`: the platform's, or the simulator's when the configuration has none. */
export function createCtcuTransport(
  connection: Connection,
  platform: Pick<CtcuPlatformConfig, 'chatbotId' | 'apiVersion' | 'appId' | 'appKey'> & { serverRoot: string },
  log: Logger,
  options: CtcuTransportOptions = {},
): CtcuTransport {
  const client = new PlatformClient({
    serverRoot: platform.serverRoot,
    apiVersion: platform.apiVersion,
    chatbotId: platform.chatbotId,
    timeoutMs: options.requestTimeoutMs ?? 10_000,
  });
  // The platform keeps one token per chatbot: the chatbot names the shared token document.
  const tokens = new TokenManager(connection, platform.chatbotId, () => client.requestToken(platform.appId, platform.appKey), log, options.token);
  return new CtcuTransport(client, tokens, platform.chatbotId);
}
