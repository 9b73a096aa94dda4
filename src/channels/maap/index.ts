/** The MaaP adapter's outbound side for one configured chatbot: its client and the transport the sender uses. */
import type { MaapPlatformConfig } from '../platformConfig.js';
import { MaapClient } from './client.js';
import { MaapTransport } from './transport.js';

/** `serverRoot`: the platform's, or the simulator's when the configuration has none. */
export function createMaapTransport(platform: Omit<MaapPlatformConfig, 'serverRoot'> & { serverRoot: string }, options: { requestTimeoutMs?: number } = {}): MaapTransport {
  const client = new MaapClient({
    serverRoot: platform.serverRoot,
    dialect: platform.dialect,
    chatbotId: platform.chatbotId,
    appId: platform.appId,
    password: platform.password,
    sendPath: platform.sendPath,
    timeoutMs: options.requestTimeoutMs ?? 10_000,
  });
  return new MaapTransport(client, { chatbotId: platform.chatbotId, senderName: platform.senderName });
}
