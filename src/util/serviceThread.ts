/**
 * A long-running part of the process on a worker thread of its own (the embedded store):
 * started with plain settings, ready once it says so, stopped on request. Its logs go through
 * the starting thread's logger; if it ends without being asked to, `onCrash` is told.
 *
 * Protocol: the thread posts { kind: 'ready', value } or { kind: 'failed', message } once and
 * log records (threadLog.ts) any time; it receives { kind: 'stop' }.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Logger } from 'pino';
import { relayLogRecord, threadLogger, type LogRecordMessage } from './threadLog.js';
import { startModuleWorker } from './worker.js';

type FromThread = { kind: 'ready'; value: unknown } | { kind: 'failed'; message: string } | LogRecordMessage;
type ToThread = { kind: 'stop' };

export interface ServiceThread<Ready> {
  /** What the thread reported when it became ready. */
  ready: Ready;
  /** Asks the thread to stop and waits until it has ended; later calls wait for the same. */
  stop(): Promise<void>;
}

export interface StartServiceThreadOptions<Settings> {
  /** The caller's import.meta.url and the thread module's path beside it, without extension. */
  callerUrl: string;
  module: string;
  settings: Settings;
  log: Logger;
  onCrash?: (error: Error) => void;
}

export function startServiceThread<Settings, Ready>(options: StartServiceThreadOptions<Settings>): Promise<ServiceThread<Ready>> {
  const worker = startModuleWorker(options.callerUrl, options.module, { workerData: { settings: options.settings, logLevel: options.log.level } });
  let stopping: Promise<void> | undefined;
  let exited = false;
  worker.once('exit', () => (exited = true));

  return new Promise((resolve, reject) => {
    const onStartFailure = (error: Error): void => reject(error);
    const onEarlyExit = (code: number): void => reject(new Error(`${options.module} thread exited with code ${code} while starting`));
    worker.once('error', onStartFailure);
    worker.once('exit', onEarlyExit);
    worker.on('message', (message: FromThread) => {
      if (message.kind === 'log') {
        relayLogRecord(options.log, message.record);
        return;
      }
      if (message.kind === 'failed') {
        reject(new Error(message.message));
        return;
      }
      worker.off('error', onStartFailure);
      worker.off('exit', onEarlyExit);
      worker.on('error', (error) => options.log.error({ err: error }, `${options.module} thread failed`));
      worker.once('exit', (code) => {
        if (!stopping) options.onCrash?.(new Error(`${options.module} thread exited with code ${code}`));
      });
      resolve({
        ready: message.value as Ready,
        stop() {
          stopping ??= exited
            ? Promise.resolve()
            : new Promise<void>((done) => {
                worker.once('exit', () => done());
                worker.postMessage({ kind: 'stop' } satisfies ToThread);
              });
          return stopping;
        },
      });
    });
  });
}

export interface ServiceThreadBody<Settings, Ready> {
  /** Starts the service; what it returns is the starting thread's `ready`. */
  start(settings: Settings, log: Logger): Promise<Ready>;
  /** Stops the service; the thread then ends once nothing else keeps it alive. */
  stop(): Promise<void>;
}

/** The worker side: runs `body` in this thread under the protocol above. */
export async function runAsServiceThread<Settings, Ready>(body: ServiceThreadBody<Settings, Ready>): Promise<void> {
  const port: MessagePort | null = parentPort;
  if (!port) throw new Error('this module runs as a worker thread (see serviceThread.ts)');
  const { settings, logLevel } = workerData as { settings: Settings; logLevel: string };
  const post = (message: FromThread): void => port.postMessage(message);
  try {
    post({ kind: 'ready', value: await body.start(settings, threadLogger(port, logLevel)) });
  } catch (error) {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    port.close();
    return;
  }
  port.on('message', (message: ToThread) => {
    if (message.kind === 'stop') void body.stop().finally(() => port.close());
  });
}
