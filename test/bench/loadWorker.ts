/**
 * The benchmark's load generator, in a worker thread so that generating load does not compete
 * with the platform simulator for the main thread. Sends signed text-message callbacks, closed
 * loop (N in flight) or open loop (a fixed rate), and reports every ack latency and status, and
 * when each message (by contributionId) was sent.
 *
 * A closed loop either sends its next message as soon as the last one is acknowledged (the
 * webhook's own capacity), or — `awaitAnswers` — as a citizen does: only once the bot's answer
 * to the last one reached the platform (the main thread passes each answer on). Each of the N
 * senders then speaks for its own users, so no user has two messages in flight.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { computeSignature } from '../../src/channels/ctcu/signature.js';
import { CitizenTraffic } from './citizenTraffic.js';

export interface LoadJob {
  url: string;
  path: string;
  token: string;
  chatbotId: string;
  users: number;
  seconds: number;
  /** Closed loop: requests in flight. */
  connections?: number;
  /** Closed loop: wait for the bot's answer (at the platform) before a sender's next message. */
  awaitAnswers?: boolean;
  /** Open loop: messages per second. */
  rate?: number;
  /** Raw bodies to send instead of generated text messages (the fuzz run). */
  bodies?: Array<string | Uint8Array>;
  /** Scripted citizen conversations (citizenTraffic.ts) instead of numbered texts. */
  traffic?: { kind: 'citizen'; postbackSecret: string };
}

export interface LoadReport {
  latencies: number[];
  statuses: Array<[number, number]>;
  sent: Array<[string, number]>;
  elapsedSeconds: number;
  /**
   * How late this thread's own event loop ran during the job (ms beyond the 1 ms sampling
   * interval): a latency it measured can be that much longer than the bot took.
   */
  generatorLagP99Ms: number;
  generatorLagMaxMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });
let sequence = 0;
let citizens: CitizenTraffic | undefined;

/** The message part user `n % users` sends next. */
function nextPart(job: LoadJob, n: number): { contentType: string; contentText: string } {
  if (!job.traffic) return { contentType: 'text/plain', contentText: `bench message ${n}` };
  citizens ??= new CitizenTraffic(job.traffic.postbackSecret);
  return citizens.next(n % job.users);
}

function post(job: LoadJob, body: string | Uint8Array): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  return new Promise((resolve) => {
    const req = request(`${job.url}${job.path}`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        signature: computeSignature(job.token, timestamp, nonce),
        timestamp,
        nonce,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const LAG_RESOLUTION_MS = 1;

async function run(job: LoadJob): Promise<LoadReport> {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const sent: Array<[string, number]> = [];
  /** Sends one message (as user `n % users`, by default the next in sequence); resolves with its contributionId once acknowledged. */
  const one = async (body?: string | Uint8Array, n = sequence++): Promise<string> => {
    const contributionId = randomUUID();
    sent.push([contributionId, performance.timeOrigin + performance.now()]);
    const started = performance.now();
    const status = await post(
      job,
      body ??
        JSON.stringify({
          messageId: randomUUID(),
          messageList: [nextPart(job, n)],
          dateTime: new Date().toISOString(),
          destinationAddress: job.chatbotId,
          senderAddress: `tel:+86138${String(n % job.users).padStart(8, '0')}`,
          conversationId: `bench-${n % job.users}`,
          contributionId,
        }),
    );
    latencies.push(performance.now() - started);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    return contributionId;
  };
  const started = performance.now();
  if (job.bodies) {
    const bodies = job.bodies;
    let next = 0;
    await Promise.all(Array.from({ length: job.connections ?? 32 }, async () => {
      while (next < bodies.length) await one(bodies[next++]);
    }));
  } else if (job.rate) {
    const total = Math.round(job.rate * job.seconds);
    const inFlight: Promise<string>[] = [];
    let issued = 0;
    while (issued < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * job.rate) + 1);
      for (; issued < due; issued += 1) inFlight.push(one());
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  } else if (job.awaitAnswers) {
    const end = started + job.seconds * 1000;
    const senders = job.connections ?? 64;
    await Promise.all(Array.from({ length: senders }, async (_, sender) => {
      // Sender k speaks for users k, k + N, k + 2N …, one message at a time.
      for (let turn = 0; performance.now() < end; turn++) {
        const user = (sender + turn * senders) % job.users;
        await answered(await one(undefined, user));
      }
    }));
  } else {
    const end = started + job.seconds * 1000;
    await Promise.all(Array.from({ length: job.connections ?? 64 }, async () => {
      while (performance.now() < end) await one();
    }));
  }
  lag.disable();
  const beyondSampling = (ns: number): number => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
  return {
    latencies,
    statuses: [...statuses],
    sent,
    elapsedSeconds: (performance.now() - started) / 1000,
    generatorLagP99Ms: beyondSampling(lag.percentile(99)),
    generatorLagMaxMs: beyondSampling(lag.max),
  };
}

/** contributionId → the sender waiting for its answer; answers that came before the wait. */
const waiting = new Map<string, () => void>();
const early = new Set<string>();
/** An answer that never comes (a lost turn) must not stop its sender for good. */
const ANSWER_TIMEOUT_MS = 30_000;

function answered(contributionId: string): Promise<void> {
  if (early.delete(contributionId)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(contributionId);
      resolve();
    }, ANSWER_TIMEOUT_MS);
    waiting.set(contributionId, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

parentPort?.on('message', (message: LoadJob | { answered: string }) => {
  if ('answered' in message) {
    const resume = waiting.get(message.answered);
    if (resume) {
      waiting.delete(message.answered);
      resume();
    } else early.add(message.answered);
    return;
  }
  void run(message).then((report) => parentPort?.postMessage(report));
});
