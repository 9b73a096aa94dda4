/**
 * The embedded MongoDB-compatible server: a loopback TCP (or Unix socket) listener speaking the
 * wire protocol.
 * Each complete message is parsed and its command run synchronously to completion before the
 * next one starts, which is what makes single-document writes and findAndModify atomic across
 * connections. Commands received together share one SQLite commit; each reply waits for it.
 */
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { runCommand } from './commands/registry.js';
import { CommandError, errorReply } from './errors.js';
import type { Doc } from './documents.js';
import type { ServerInfo } from './commands/context.js';
import { CursorRegistry } from './cursors.js';
import { Store } from './store.js';
import type { SyncMode } from './storage.js';
import { startTtlMonitor } from './ttl.js';
import { encodeReply, NestedTooDeep, parseMessage, peekMessageLength, WireError, type WireRequest } from './wire.js';

export interface EmbeddedServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /**
   * Listen on this Unix domain socket instead of TCP: for a client on the same machine it costs
   * far less per command than loopback TCP. A stale file there is replaced.
   */
  socketPath?: string;
  /** How often expired TTL documents are removed (default 60 s, like MongoDB). */
  ttlIntervalMs?: number;
  /**
   * Connections beyond this many are refused at accept (default 1000): each holds a socket and a
   * buffer, and a client that leaks connections should fail, not exhaust the process's files.
   */
  maxConnections?: number;
  /**
   * Bytes of partly received messages held across all connections (default 256 MiB). A message
   * may announce up to 48 MB, so without a total a few hundred slow senders could hold gigabytes;
   * the connection whose bytes cross the total is closed.
   */
  maxBufferedBytes?: number;
  /**
   * A connection with no traffic for this long is closed (default 30 minutes). Drivers reopen a
   * closed pooled connection when next needed, and their monitors speak every 10 seconds, so
   * only connections a client forgot are reclaimed.
   */
  idleTimeoutMs?: number;
  /** SQLite synchronous mode: NORMAL survives a killed process, FULL also a power loss. */
  sync?: SyncMode;
  log: Logger;
  /**
   * Called when a commit failed (disk full, I/O error): the server has stopped serving, since its
   * working set still holds the writes that were rolled back; restarting reloads from disk.
   */
  onFatal?: (error: Error) => void;
}

export class EmbeddedMongoServer {
  private store: Store | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly cursors = new CursorRegistry();
  private stopTtl: (() => void) | undefined;
  private restartTtl: (() => void) | undefined;
  /** How often the TTL monitor sweeps; `setParameter: {ttlMonitorSleepSecs}` changes it. */
  private ttlIntervalMs: number;
  private nextConnectionId = 1;
  private readonly log: Logger;
  private address: { host: string; port: number } | { socketPath: string } | undefined;
  private readonly startedAt = Date.now();
  /** Bytes buffered, across all connections, of messages not yet received whole. */
  private bufferedBytes = 0;

  constructor(private readonly options: EmbeddedServerOptions) {
    this.log = options.log.child({ module: 'embedded-mongo' });
    this.ttlIntervalMs = options.ttlIntervalMs ?? 60_000;
  }

  get uri(): string {
    if (!this.address) throw new Error('embedded server is not started');
    if ('socketPath' in this.address) return `mongodb://${encodeURIComponent(this.address.socketPath)}/`;
    return `mongodb://${this.address.host}:${this.address.port}/`;
  }

  get port(): number {
    if (!this.address) throw new Error('embedded server is not started');
    if ('socketPath' in this.address) throw new Error('embedded server listens on a Unix socket, not a port');
    return this.address.port;
  }

  async start(): Promise<string> {
    const started = Date.now();
    const store = new Store(this.options.dataDir, this.options.sync, (error) => this.failStop(error));
    store.storage.startGroupCommit();
    this.store = store;
    const server = createServer((socket) => this.accept(socket, store));
    server.maxConnections = this.options.maxConnections ?? 1000;
    server.on('drop', (dropped) => this.log.warn({ remote: dropped?.remoteAddress, limit: server.maxConnections }, 'connection refused: too many connections'));
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    const socketPath = this.options.socketPath;
    // The store holds the data directory's lock by now, so a file at socketPath is a dead store's.
    if (socketPath) rmSync(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (socketPath) server.listen(socketPath, listening);
      else server.listen(this.options.port ?? 0, host, listening);
    });
    this.address = socketPath ? { socketPath } : { host, port: (server.address() as AddressInfo).port };
    let stopTtl = startTtlMonitor(store, this.ttlIntervalMs, this.log);
    this.restartTtl = () => {
      stopTtl();
      stopTtl = startTtlMonitor(store, this.ttlIntervalMs, this.log);
    };
    const cursorTimer = setInterval(() => this.cursors.closeIdle(), 60_000);
    cursorTimer.unref();
    this.stopTtl = () => {
      stopTtl();
      clearInterval(cursorTimer);
    };
    this.log.info({ dataDir: this.options.dataDir, uri: this.uri, loadMs: Date.now() - started }, 'embedded store listening');
    return this.uri;
  }

  /** Stops accepting, closes client connections, and closes storage (checkpointing the WAL). */
  async stop(): Promise<void> {
    this.stopTtl?.();
    this.stopTtl = undefined;
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.store?.close();
    this.store = undefined;
    this.log.info('embedded store stopped');
  }

  /** Stops serving at once: no client may read what the disk no longer has. */
  private failStop(error: Error): void {
    this.log.fatal({ err: error }, 'commit failed; the embedded store stops serving');
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
    this.options.onFatal?.(error);
  }

  /** What setParameter's ttlMonitorSleepSecs reads and changes. */
  private readonly ttlMonitor: NonNullable<ServerInfo['ttlMonitor']> = {
    intervalMs: () => this.ttlIntervalMs,
    setIntervalMs: (ms: number) => {
      this.ttlIntervalMs = ms;
      this.restartTtl?.();
    },
  };

  private accept(socket: Socket, store: Store): void {
    const connectionId = this.nextConnectionId++;
    const address = this.address ?? { host: '127.0.0.1', port: 0 };
    const ttlMonitor = this.ttlMonitor;
    const info: ServerInfo = 'socketPath' in address
      ? { connectionId, startedAt: this.startedAt, host: address.socketPath, port: 0, ttlMonitor }
      : { connectionId, startedAt: this.startedAt, ...address, ttlMonitor };
    const context = { store, cursors: this.cursors, db: 'admin', log: this.log, server: info };
    const chunks: Buffer[] = [];
    let buffered = 0;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 30 * 60_000, () => {
      this.log.debug({ connectionId }, 'idle connection closed');
      socket.destroy();
    });
    this.log.debug({ connectionId, remote: socket.remotePort }, 'connection opened');
    const maxBuffered = this.options.maxBufferedBytes ?? 256 * 1024 * 1024;
    /** Changes this connection's share of the total buffered bytes. */
    const holdBytes = (count: number): void => {
      this.bufferedBytes += count - buffered;
      buffered = count;
    };
    socket.on('close', () => {
      holdBytes(0);
      this.sockets.delete(socket);
      this.log.debug({ connectionId }, 'connection closed');
    });
    socket.on('error', (error) => this.log.debug({ err: error, connectionId }, 'connection error'));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      holdBytes(buffered + chunk.length);
      if (this.bufferedBytes > maxBuffered) {
        this.log.warn({ connectionId, buffered, total: this.bufferedBytes, limit: maxBuffered }, 'connection closed: buffered messages over the limit');
        holdBytes(0);
        chunks.length = 0;
        socket.destroy();
        return;
      }
      try {
        while (buffered >= 4) {
          if ((chunks[0] as Buffer).length < 4) chunks.splice(0, chunks.length, Buffer.concat(chunks, buffered));
          const length = peekMessageLength(chunks[0] as Buffer) as number;
          if (buffered < length) break;
          const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
          const rest = whole.subarray(length);
          chunks.length = 0;
          if (rest.length > 0) chunks.push(rest);
          holdBytes(rest.length);
          let request: WireRequest;
          let reply: Doc;
          try {
            request = parseMessage(whole.subarray(0, length));
            reply = runCommand(request.command, { ...context, db: request.db });
          } catch (error) {
            if (!(error instanceof NestedTooDeep)) throw error;
            request = error.request;
            reply = errorReply(new CommandError(15, 'Overflow', error.message));
          }
          // A reply never leaves before the writes it reports (or any it could have read) are durable.
          store.storage.afterCommit((failure) => {
            if (request.moreToCome || socket.destroyed) return;
            socket.write(encodeReply(request, failure ? errorReply(failure) : reply));
          });
        }
      } catch (error) {
        if (error instanceof WireError) {
          this.log.warn({ connectionId, reason: error.message }, 'malformed wire message, closing connection');
        } else this.log.error({ err: error, connectionId }, 'connection failed, closing it');
        socket.destroy();
      }
    });
  }
}
