/**
 * Appointments benchmark (`npm run bench:appointments`), all in one run on one machine:
 *
 *  1. guide turns (the baseline): citizens asking for item guides, closed loop, through the
 *     whole stack (signed callback → inbox → turn → outbox → sender → platform simulator);
 *  2. booking turns: citizens tapping a slot (`appointment.book`), each a new citizen, slots
 *     filled in order so almost every tap books a seat; same stack, same loop;
 *     both report turns answered per second and the p50/p99 of the turn (tap sent → first reply
 *     at the platform);
 *  3. queue-number assignments per second against the embedded store (HallQueue.take, concurrent),
 *     beside the bare counter `$inc` each one includes.
 *
 * Environment: BENCH_SECONDS (10), CONNECTIONS (32), QUEUE_TAKES (5000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:http';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { createAppointments } from '../../src/appointments/appointments.js';
import { HallCalendar, type Service } from '../../src/appointments/calendar/hallCalendar.js';
import { formatClock, instantOf, localDateOf } from '../../src/appointments/calendar/localTime.js';
import { NationalCalendar } from '../../src/appointments/calendar/nationalCalendar.js';
import { loadAppointmentContent } from '../../src/appointments/content/load.js';
import { loadWording } from '../../src/appointments/content/wording.js';
import { nextNumber } from '../../src/appointments/counters.js';
import { initAppointmentModels, type BookingDocument } from '../../src/appointments/model.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { computeSignature } from '../../src/channels/ctcu/signature.js';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { startTestMongo } from '../support/mongo.js';
import { APP_ID, APP_KEY, botEnv, CHATBOT_ID, percentile, row, spawnTarget, stopLoad, stopTarget, TOKEN } from './harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const QUEUE_TAKES = Number(process.env.QUEUE_TAKES ?? 5000);
const ZONE = 'Asia/Shanghai';
const POSTBACK_SECRET = 'bench-postback-secret';
const PATH = `/messageNotification/${encodeURIComponent(CHATBOT_ID)}/messages`;
const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
const GUIDE_TEXTS = ['我想办居住证', '护照怎么办', '孩子刚出生怎么上户口', '营业执照怎么办理', '公积金怎么提取', '结婚登记要带什么', '身份证丢了怎么补办', '失业金怎么领'];

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const codec = new PostbackCodec(POSTBACK_SECRET);
const catalog = loadCatalog(resolve('intents'));
const calendar = new HallCalendar(loadAppointmentContent(resolve('intents'), catalog), NationalCalendar.load());

/** Each seat of the coming days, once, for items of many window groups: what the booking taps take. */
function seatsAhead(): Array<{ item: string; hall: string; date: string; time: string }> {
  const services = new Map<string, { item: string; service: Service }>();
  for (const item of catalog.items) {
    for (const service of calendar.servicesFor(item.code)) services.set(`${service.hall.hallId}|${service.group.id}`, { item: item.code, service });
  }
  const now = Date.now();
  const seats = [];
  for (const { item, service } of services.values()) {
    for (const date of calendar.horizon(service.hall, localDateOf(new Date(), ZONE))) {
      for (const minutes of calendar.slotStarts(service, date)) {
        if (instantOf(date, minutes, ZONE).getTime() < now + 2 * 3_600_000) continue;
        for (let seat = 0; seat < service.group.seatsPerSlot; seat++) seats.push({ item, hall: service.hall.hallId, date, time: formatClock(minutes) });
      }
    }
  }
  return seats;
}

function post(url: string, body: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  return new Promise((done) => {
    const req = request(`${url}${PATH}`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), signature: computeSignature(TOKEN, timestamp, nonce), timestamp, nonce },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end(body);
  });
}

/** Resolves each turn when its first reply reaches the platform simulator. */
class Replies {
  private seen = 0;
  private readonly waiting = new Map<string, (reply: { at: number; text: string }) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly simulator: Simulator) {
    this.timer = setInterval(() => this.scan(), 2);
  }

  wait(contributionId: string): Promise<{ at: number; text: string }> {
    return new Promise((done) => this.waiting.set(contributionId, done));
  }

  private scan(): void {
    const all = this.simulator.received();
    for (; this.seen < all.length; this.seen++) {
      const message = all[this.seen];
      const done = message?.inReplyTo === undefined ? undefined : this.waiting.get(message.inReplyTo);
      if (!message || !done) continue;
      this.waiting.delete(message.inReplyTo as string);
      done({ at: message.receivedAt.getTime(), text: JSON.stringify(message.parts) });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

interface Turns {
  perSecond: number;
  p50: number;
  p99: number;
  texts: string[];
}

/** CONNECTIONS citizens in a closed loop for SECONDS: each sends, waits for the first reply, sends again. */
type NextTurn = () => { user: string; part: { contentType: string; contentText: string } } | undefined;

async function closedLoop(url: string, replies: Replies, next: NextTurn, seconds = SECONDS): Promise<Turns> {
  const latencies: number[] = [];
  const texts: string[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const turn = next();
        if (!turn) return;
        const contributionId = randomUUID();
        const body = JSON.stringify({
          messageId: randomUUID(),
          messageList: [turn.part],
          dateTime: new Date(Date.now() + 8 * 3_600_000).toISOString().replace('Z', '+08:00'),
          destinationAddress: CHATBOT_ID,
          senderAddress: turn.user,
          conversationId: `bench-${turn.user}`,
          contributionId,
        });
        const sent = Date.now();
        const answered = replies.wait(contributionId);
        if ((await post(url, body)) !== 200) continue;
        const reply = await answered;
        if (reply.at <= end) {
          latencies.push(reply.at - sent);
          texts.push(reply.text);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), texts };
}

async function throughStack(): Promise<void> {
  const simulator = await startSimulator({ chatbotId: CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: TOKEN, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: 5 }, pino({ level: 'silent' }));
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-appointments-'));
  const target = await spawnTarget('bot', 'src/main.ts', botEnv(simulator.serverRoot, dataDir, { NODE_ENV: 'production', POSTBACK_SECRET, SEND_RATE: '5000' }));
  simulator.setNotifyUrl(target.url);
  const replies = new Replies(simulator);
  try {
    let n = 0;
    const guide: NextTurn = () => {
      n += 1;
      return { user: `tel:+86137${String(n % 500).padStart(8, '0')}`, part: { contentType: 'text/plain', contentText: GUIDE_TEXTS[n % GUIDE_TEXTS.length] as string } };
    };
    await closedLoop(target.url, replies, guide, 3); // warm-up: JIT, the platform token, connections
    const baseline = await closedLoop(target.url, replies, guide);
    row('guide', { 'turns/s': baseline.perSecond, p50ms: baseline.p50, p99ms: baseline.p99 });

    const seats = seatsAhead();
    let taken = 0;
    const booking: NextTurn = () => {
      const seat = seats[taken];
      if (!seat) return undefined;
      taken += 1;
      const data = codec.encode('appointment.book', seat.item, seat.hall, seat.date, seat.time, '');
      return { user: `tel:+86135${String(taken).padStart(8, '0')}`, part: { contentType: SUGGESTION_RESPONSE, contentText: JSON.stringify({ response: { reply: { displayText: seat.time, postback: { data } } } }) } };
    };
    const booked = await closedLoop(target.url, replies, booking);
    const confirmed = booked.texts.filter((text) => text.includes('预约成功')).length;
    row('booking', { 'turns/s': booked.perSecond, p50ms: booked.p50, p99ms: booked.p99, confirmed, of: booked.texts.length, 'seats offered': seats.length });
    console.log(`  booking turns/s at ${((100 * booked.perSecond) / baseline.perSecond).toFixed(0)} % of the guide's; p99 ${booked.p99} ms vs ${baseline.p99} ms (${SECONDS} s each)`);
  } finally {
    replies.stop();
    await stopTarget(target);
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function queueNumbers(): Promise<void> {
  const mongo = await startTestMongo({ name: 'bench_queue' });
  const connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  try {
    const appointments = createAppointments(connection, loadAppointmentContent(resolve('intents'), catalog), loadWording(resolve('intents')), ZONE);
    await initAppointmentModels(appointments.models);
    const service = calendar.serviceAt('passport-apply', 'ns-main') as Service;
    const now = new Date();
    const today = localDateOf(now, ZONE);
    const run = async (label: string, task: (index: number) => Promise<unknown>): Promise<number> => {
      let index = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (index < QUEUE_TAKES) await task(index++);
        }),
      );
      const perSecond = QUEUE_TAKES / ((performance.now() - started) / 1000);
      row(label, { 'per s': perSecond, n: QUEUE_TAKES });
      return perSecond;
    };
    const counters = await run('counter', () => nextNumber(appointments.models.counters, `bench|${today}`));
    const takes = await run('queue take', (index) => {
      const booking = { _id: `YY${today.replace(/-/g, '')}${String(index).padStart(4, '0')}`, hallId: 'ns-main', groupId: service.group.id, date: today, platformId: 'ctcu', userId: `tel:+86${index}`, userKey: `ctcu|tel:+86${index}` } as BookingDocument;
      return appointments.queue.take(booking, service.group, now);
    });
    console.log(`  queue-number assignments/s at ${((100 * takes) / counters).toFixed(0)} % of the bare counter's (each also inserts the ticket and counts who is ahead)`);
  } finally {
    await connection.close();
    await mongo.close();
  }
}

async function main(): Promise<void> {
  console.log(`# appointments benchmark: ${SECONDS} s per loop, ${CONNECTIONS} in flight, node ${process.version}`);
  console.log(`# ${cpus().length} CPUs, load average at start ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  console.log('\n## through the whole stack (HTTP callback → turn → outbox → simulator)');
  await throughStack();
  console.log('\n## queue numbers against the embedded store');
  await queueNumbers();
  console.log(`\n# load average at end ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
}

try {
  await main();
} finally {
  await stopLoad();
}
