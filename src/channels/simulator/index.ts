/**
 * A local stand-in for the carrier platforms, one HTTP server for every chatbot it plays: CT/CU
 * chatbots (tokens, sends, revokes, signed callbacks) and China Mobile MaaP chatbots in either
 * dialect (authenticated sends and revokes, XML or JSON callbacks), plus a web phone a person can
 * chat with, picking the carrier. Tests, benchmarks and `npm start` (for the platforms without
 * serverRoot) use it. The methods on the simulator itself act on its first platform; `platform(id)`
 * gives any one.
 */
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.js';
import type { CallbackAnswer } from './callbacks.js';
import { CtcuSimPlatform } from './ctcuPlatform.js';
import { MaapSimPlatform } from './maap/platform.js';
import { maapRouter } from './maap/api.js';
import { platformRouter } from './platformApi.js';
import { PhoneFeed } from './phoneFeed.js';
import { phoneRouter } from './phoneApi.js';
import type { SendOverrides, SimContext, SimPlatform } from './simPlatform.js';
import type { FailureInjection, InboundPart, ReceivedMessage, SendResult, SimulatedPlatform, SimulatorOptions, SimulatorStats } from './types.js';

export type {
  FailureInjection,
  InboundPart,
  ReceivedMessage,
  ReceivedPart,
  SendResult,
  SimulatedPlatform,
  SimulatedCtcuPlatform,
  SimulatedMaapPlatform,
  SimulatorOptions,
  SimulatorStats,
} from './types.js';
export type { SendOverrides } from './simPlatform.js';
export { SimPlatform } from './simPlatform.js';
export { CtcuSimPlatform } from './ctcuPlatform.js';
export { MaapSimPlatform } from './maap/platform.js';

const DEFAULT_PHONE_USER = 'tel:+8613800138000';

/** The platforms of the options: a list, or one CT/CU chatbot given by its fields. */
function platformsOf(options: SimulatorOptions): SimulatedPlatform[] {
  if ('platforms' in options) return options.platforms;
  const { chatbotId, appId, appKey, callbackToken, apiVersion, notifyPath, label, id } = options;
  return [{ id: id ?? 'ctcu', family: 'ctcu', chatbotId, appId, appKey, callbackToken, apiVersion, notifyPath, label }];
}

export class Simulator {
  private readonly abort = new AbortController();
  private readonly feed = new PhoneFeed();
  private readonly context: SimContext;
  private readonly platforms: SimPlatform[];
  private server: Server | undefined;
  serverRoot = '';
  phoneUrl = '';

  constructor(
    private readonly options: SimulatorOptions,
    private readonly log: Logger,
  ) {
    this.context = {
      settings: options,
      terminals: { non5g: new Set(options.non5gNumbers ?? []), unknown: new Set(options.unknownNumbers ?? []) },
      feed: this.feed,
      closing: this.abort.signal,
      log,
    };
    this.platforms = platformsOf(options).map((platform) => (platform.family === 'ctcu' ? new CtcuSimPlatform(platform, this.context) : new MaapSimPlatform(platform, this.context)));
    if (this.platforms.length === 0) throw new Error('the simulator needs at least one platform');
    this.setNotifyUrl(options.notifyUrl);
  }

  async listen(): Promise<void> {
    const app = new Koa();
    const timing = { latencyMs: this.options.latencyMs ?? 0, stallMs: this.options.stallMs ?? 30_000, closing: this.abort.signal };
    const ctcu = this.platforms.filter((platform): platform is CtcuSimPlatform => platform instanceof CtcuSimPlatform);
    const maap = this.platforms.filter((platform): platform is MaapSimPlatform => platform instanceof MaapSimPlatform);
    const phone = phoneRouter({
      feed: this.feed,
      platforms: this.platforms.map((platform) => ({ id: platform.id, family: platform.family, dialect: platform instanceof MaapSimPlatform ? platform.dialect : undefined, label: platform.label })),
      sendMessage: (platformId, user, part) => this.platform(platformId).sendMessage(user, part),
      setNon5g: (user, non5g) => void (non5g ? this.context.terminals.non5g.add(user) : this.context.terminals.non5g.delete(user)),
      isNon5g: (user) => this.context.terminals.non5g.has(user),
      menu: (platformId) => this.menu(platformId),
      defaultUser: DEFAULT_PHONE_USER,
    });
    app.on('error', (error: Error) => this.log.debug({ err: error }, 'simulator request error'));
    app.use(platformRouter(ctcu, timing).routes()).use(maapRouter(maap, timing).routes()).use(phone.routes());
    const host = this.options.host ?? '127.0.0.1';
    const server = app.listen(this.options.port ?? 0, host);
    this.server = server;
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const { port } = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.serverRoot = `http://${shownHost}:${port}`;
    this.phoneUrl = `${this.serverRoot}/phone?user=${encodeURIComponent(DEFAULT_PHONE_USER)}`;
  }

  /** One of the platforms it plays (the first when no id is given). */
  platform(id?: string): SimPlatform {
    const found = id === undefined ? this.platforms[0] : this.platforms.find((platform) => platform.id === id);
    if (!found) throw new Error(`the simulator plays no platform "${id}"`);
    return found;
  }

  /** A MaaP platform it plays, with what only the MaaP gateway does (any delivery status, held reports). */
  maap(id: string): MaapSimPlatform {
    const found = this.platform(id);
    if (!(found instanceof MaapSimPlatform)) throw new Error(`platform "${id}" is not a MaaP one`);
    return found;
  }

  /** The fixed menu the chatbot of a CT/CU platform set (the first platform when no id is given). */
  menu(id?: string): unknown {
    const platform = this.platform(id);
    return platform instanceof CtcuSimPlatform ? platform.menu : undefined;
  }

  /** Every platform it plays. */
  all(): SimPlatform[] {
    return [...this.platforms];
  }

  /** Where callbacks go (each platform adds its notify path); the bot's address may only be known after it listens. */
  setNotifyUrl(url: string | undefined): void {
    for (const platform of this.platforms) platform.setNotifyUrl(url);
  }

  sendText(user: string, text: string, overrides: SendOverrides = {}): Promise<SendResult> {
    return this.platform().sendText(user, text, overrides);
  }

  sendMessage(user: string, part: InboundPart, overrides: SendOverrides = {}): Promise<SendResult> {
    return this.platform().sendMessage(user, part, overrides);
  }

  postRaw(path: string, body: string | object, headers: Record<string, string> = {}): Promise<CallbackAnswer> {
    return this.platform().postRaw(path, body, headers);
  }

  received(user?: string): ReceivedMessage[] {
    return this.platform().received(user);
  }

  waitForMessages(until: number | ((received: ReceivedMessage[]) => boolean), timeoutMs = 5000): Promise<ReceivedMessage[]> {
    return this.platform().waitForMessages(until, timeoutMs);
  }

  injectFailures(injection: FailureInjection): void {
    this.platform().injectFailures(injection);
  }

  setRateLimit(perSecond: number | undefined): void {
    this.platform().setRateLimit(perSecond);
  }

  setTerminal(user: string, kind: 'rcs' | 'non5g' | 'unknown'): void {
    const { non5g, unknown } = this.context.terminals;
    non5g.delete(user);
    unknown.delete(user);
    if (kind === 'non5g') non5g.add(user);
    if (kind === 'unknown') unknown.add(user);
  }

  reportedStatus(messageId: string): string | undefined {
    return this.platform().reportedStatus(messageId);
  }

  stats(): SimulatorStats {
    return this.platform().stats();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.platforms.map((platform) => platform.close()));
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

export async function startSimulator(options: SimulatorOptions, log: Logger): Promise<Simulator> {
  const simulator = new Simulator(options, log.child({ module: 'simulator' }));
  await simulator.listen();
  return simulator;
}
