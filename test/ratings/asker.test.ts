/**
 * The questions the bot asks on its own, against a real store and outbox: only once a
 * conversation has gone quiet, never at night or while the citizen waits for an agent, exactly
 * once however many processes sweep, and a question a crash interrupted finished after a restart
 * without being sent twice.
 */
import { expect } from 'chai';
import { createConnection, type Connection } from 'mongoose';
import { pino } from 'pino';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { MongoSessionStore } from '../../src/conversation/sessionStores.js';
import { MemoryHandoffs } from '../../src/handoff/memoryHandoffs.js';
import { createOutbox, type Outbox } from '../../src/outbox/index.js';
import { SessionActivity } from '../../src/ratings/activity.js';
import { RatingAsker } from '../../src/ratings/asker.js';
import { LevelNames } from '../../src/ratings/levels.js';
import { MongoRatingLedger } from '../../src/ratings/mongoLedger.js';
import { QuietHours } from '../../src/ratings/quietHours.js';
import { guideServiceId } from '../../src/ratings/records.js';
import { RectificationStore } from '../../src/ratings/rectifications.js';
import { weekdaysCalendar } from '../../src/ratings/workingDays.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';
import { CARDS, sharedContent, startChat } from '../conversation/transcript.js';
import { outboundOf } from '../../src/outbox/model.js';

const ZONE = 'Asia/Shanghai';
const IDLE_MS = 10 * 60_000;
const SESSION_IDLE_MS = 30 * 60_000;
/** A Thursday, district time. */
const at = (local: string): Date => new Date(`2026-12-03T${local}:00+08:00`);
const nextDay = (local: string): Date => new Date(`2026-12-04T${local}:00+08:00`);

interface Process {
  connection: Connection;
  ledger: MongoRatingLedger;
  asker: RatingAsker;
  outbox: Outbox;
  sessions: MongoSessionStore;
}

describe('ratings: the questions the bot asks on its own', function () {
  this.timeout(60_000);
  let mongo: TestMongo;
  let processes: Process[];
  const handoffs = new MemoryHandoffs();
  let user = 0;

  async function startProcess(): Promise<Process> {
    const connection = await createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    const ledger = new MongoRatingLedger(connection, new RectificationStore(connection, { workingDays: 5, calendar: weekdaysCalendar, timeZone: ZONE }), ZONE);
    const sessions = new MongoSessionStore(connection);
    const outbox = createOutbox(connection, { defaultPlatformId: 'test' });
    await Promise.all([ledger.init(), sessions.init(), outbox.model.init()]);
    const { catalog } = await sharedContent();
    const asker = new RatingAsker({
      ledger,
      conversation: (await startChat()).conversation,
      outbox,
      postbacks: new PostbackCodec('asker-test'),
      catalog,
      levels: LevelNames.load(CARDS),
      activity: new SessionActivity(sessions.model, SESSION_IDLE_MS),
      handoffs,
      quietHours: QuietHours.parse('21:00-08:00', ZONE),
      idleMs: IDLE_MS,
      log: pino({ level: 'silent' }),
    });
    return { connection, ledger, asker, outbox, sessions };
  }

  /** A citizen who saw a guide at `servedAt` and last wrote at `lastTurn`. */
  async function citizen(servedAt: Date, lastTurn: Date = servedAt): Promise<{ userId: string; userKey: string }> {
    const userId = `tel:+86137000${String(++user).padStart(5, '0')}`;
    const userKey = `test|${userId}`;
    const main = processes[0] as Process;
    await main.ledger.served({ _id: guideServiceId(userKey, 'm', 'passport-apply'), kind: 'guide', userKey, userId, platformId: 'test', item: 'passport-apply', hallId: 'ns-main', servedAt, askAfter: new Date(servedAt.getTime() + IDLE_MS) });
    await main.sessions.save(userKey, 0, { state: {}, lastTurn: { messageId: `m-${user}`, replies: [] } }, new Date(lastTurn.getTime() + SESSION_IDLE_MS));
    return { userId, userKey };
  }

  async function questionsTo(userId: string): Promise<string[]> {
    const sent = await processes[0]?.outbox.model.find({ userId }).lean().exec();
    return (sent ?? []).map(outboundOf).map(({ body }) => (body.type === 'text' ? body.text : ''));
  }

  before(async () => {
    mongo = await startTestMongo({ name: 'rating_asker' });
    processes = [await startProcess()];
  });
  after(async () => {
    for (const each of processes) await each.connection.close();
    await mongo.close();
  });

  it('waits until the conversation has been quiet for the idle time, then asks once', async () => {
    const { userId } = await citizen(at('10:00'), at('10:06'));
    const asker = processes[0]?.asker as RatingAsker;
    expect((await asker.sweep(at('10:05'))).asked, 'not due yet').to.equal(0);
    expect(await asker.sweep(at('10:11'))).to.include({ asked: 0, postponed: 1 });
    expect(await questionsTo(userId), 'the citizen wrote at 10:06').to.deep.equal([]);
    expect((await asker.sweep(at('10:16'))).asked).to.equal(1);
    expect(await questionsTo(userId)).to.deep.equal(['打扰一下，请您为本次咨询服务（普通护照申领）做个评价：']);
    await asker.sweep(at('10:30'));
    expect(await questionsTo(userId), 'never twice').to.have.length(1);
  });

  it('asks when the session is already forgotten', async () => {
    const { userId, userKey } = await citizen(at('11:00'));
    await processes[0]?.sessions.model.deleteOne({ _id: userKey }).exec();
    await processes[0]?.asker.sweep(at('11:10'));
    expect(await questionsTo(userId)).to.have.length(1);
  });

  it('says nothing at night, and asks in the morning', async () => {
    const { userId } = await citizen(at('20:55'));
    const asker = processes[0]?.asker as RatingAsker;
    expect((await asker.sweep(at('21:05'))).asked).to.equal(0);
    expect((await asker.sweep(nextDay('03:00'))).asked).to.equal(0);
    expect(await questionsTo(userId)).to.deep.equal([]);
    await asker.sweep(nextDay('08:01'));
    expect(await questionsTo(userId)).to.have.length(1);
  });

  it('does not ask while the citizen waits for an agent', async () => {
    const { userId, userKey } = await citizen(at('14:00'));
    const { handoff } = await handoffs.open({ userKey, platformId: 'test', userId, kind: 'live' }, at('14:01'));
    const asker = processes[0]?.asker as RatingAsker;
    expect(await asker.sweep(at('14:15'))).to.include({ asked: 0, postponed: 1 });
    await handoffs.close(handoff._id, 'citizen', undefined, at('14:20'));
    await asker.sweep(at('14:26'));
    expect(await questionsTo(userId)).to.have.length(1);
  });

  it('lets a service nobody could ask about within a day lapse', async () => {
    const { userId } = await citizen(at('09:00'));
    const asker = processes[0]?.asker as RatingAsker;
    expect((await asker.sweep(nextDay('09:30'))).lapsed).to.be.at.least(1);
    expect(await questionsTo(userId)).to.deep.equal([]);
  });

  it('asks each citizen exactly once when several processes sweep at the same moment', async () => {
    while (processes.length < 4) processes.push(await startProcess());
    const citizens = [];
    for (let each = 0; each < 15; each++) citizens.push(await citizen(at('15:00')));
    const reports = await Promise.all(processes.map((each) => each.asker.sweep(at('15:20'))));
    expect(reports.reduce((sum, report) => sum + report.asked, 0)).to.equal(15);
    for (const { userId } of citizens) expect(await questionsTo(userId), userId).to.have.length(1);
  });

  it('finishes, after a restart, a question a crash left between its claim and the outbox, sending it once', async () => {
    const { userId, userKey } = await citizen(at('16:00'));
    // The process claimed the question and died before it reached the outbox.
    const claimed = await processes[0]?.ledger.invite({ userKey, reason: 'idle' }, at('16:11'));
    expect(claimed?.state).to.equal('claimed');
    const restarted = await startProcess();
    processes.push(restarted);
    expect((await restarted.asker.sweep(at('16:11'))).finished, 'within its lease it is still its asker\'s').to.equal(0);
    expect((await restarted.asker.sweep(at('16:13'))).finished).to.equal(1);
    expect(await questionsTo(userId)).to.have.length(1);
    await Promise.all(processes.map((each) => each.asker.sweep(at('16:20'))));
    expect(await questionsTo(userId), 'not again').to.have.length(1);
    expect((await restarted.ledger.invitation(claimed?._id ?? ''))?.state).to.equal('sent');
  });
});
