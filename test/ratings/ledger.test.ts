/**
 * The rating ledger: services recorded once, each covered by one question at most, one answer
 * per question, a negative answer opening its rectification task. One spec, two implementations
 * (memory for transcripts, MongoDB for the bot); then what only the store can show: askers in
 * several processes racing, and a question a crash left half-way.
 */
import { expect } from 'chai';
import { createConnection, type Connection } from 'mongoose';
import type { RatingLedger } from '../../src/ratings/ledger.js';
import { MemoryRatingLedger } from '../../src/ratings/memoryLedger.js';
import { MongoRatingLedger } from '../../src/ratings/mongoLedger.js';
import { guideServiceId, invitationId, type NewService } from '../../src/ratings/records.js';
import { RectificationStore } from '../../src/ratings/rectifications.js';
import { weekdaysCalendar } from '../../src/ratings/workingDays.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const ZONE = 'Asia/Shanghai';
const NOW = new Date('2026-12-03T02:00:00Z');
const later = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

function guide(user: string, item: string, at = NOW, episode = 'm1'): NewService {
  const userKey = `test|${user}`;
  return { _id: guideServiceId(userKey, episode, item), kind: 'guide', userKey, userId: user, platformId: 'test', item, hallId: 'ns-main', servedAt: at, askAfter: new Date(at.getTime() + 600_000) };
}

interface Subject {
  ledger: RatingLedger;
  tasks(): Promise<Array<{ id: string; level: number; comment?: string }>>;
  close(): Promise<void>;
}

async function mongoSubject(mongo: TestMongo): Promise<{ connection: Connection; ledger: MongoRatingLedger; store: RectificationStore }> {
  const connection = await createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  const store = new RectificationStore(connection, { workingDays: 5, calendar: weekdaysCalendar, timeZone: ZONE });
  const ledger = new MongoRatingLedger(connection, store, ZONE);
  await ledger.init();
  return { connection, ledger, store };
}

function ledgerSpec(name: string, create: () => Promise<Subject>): void {
  describe(`rating ledger: ${name}`, function () {
    this.timeout(20_000);
    let subject: Subject;
    beforeEach(async () => (subject = await create()));
    afterEach(() => subject.close());

    it('asks one question covering every service of the user no question covered, and then none', async () => {
      const { ledger } = subject;
      await ledger.served(guide('tel:+8613800000001', 'residence-permit-apply'));
      await ledger.served(guide('tel:+8613800000001', 'residence-permit-apply'));
      await ledger.served(guide('tel:+8613800000001', 'passport-apply', later(1)));
      await ledger.served(guide('tel:+8613800000002', 'passport-apply'));
      const question = await ledger.invite({ userKey: 'test|tel:+8613800000001', reason: 'thanks' }, later(2));
      expect(question?.items).to.deep.equal(['residence-permit-apply', 'passport-apply']);
      expect(question?.services).to.have.length(2);
      expect(question?.userId).to.equal('tel:+8613800000001');
      expect(await ledger.invite({ userKey: 'test|tel:+8613800000001', reason: 'goodbye' }, later(3)), 'nothing left to ask about').to.equal(undefined);
      await ledger.served(guide('tel:+8613800000001', 'hukou-newborn', later(4)));
      expect((await ledger.invite({ userKey: 'test|tel:+8613800000001', reason: 'idle' }, later(15)))?.items, 'a later service gets its own question').to.deep.equal(['hukou-newborn']);
    });

    it('gives a turn that asked its question back when the turn runs again', async () => {
      await subject.ledger.served(guide('tel:+8613800000003', 'passport-apply'));
      const first = await subject.ledger.invite({ userKey: 'test|tel:+8613800000003', reason: 'thanks', askedIn: 'msg-1' }, later(1));
      const again = await subject.ledger.invite({ userKey: 'test|tel:+8613800000003', reason: 'thanks', askedIn: 'msg-1' }, later(1));
      expect(first?.state).to.equal('sent');
      expect(again?._id).to.equal(first?._id);
      expect(await subject.ledger.invite({ userKey: 'test|tel:+8613800000003', reason: 'thanks', askedIn: 'msg-2' }, later(2))).to.equal(undefined);
    });

    it('takes one answer per question; the same message again is the same answer', async () => {
      await subject.ledger.served(guide('tel:+8613800000004', 'passport-apply'));
      const question = await subject.ledger.invite({ userKey: 'test|tel:+8613800000004', reason: 'thanks', askedIn: 'a' }, later(1));
      const id = question?._id ?? '';
      expect((await subject.ledger.rate(id, 4, 'tap-1', later(2))).outcome).to.equal('rated');
      expect(await subject.ledger.rate(id, 1, 'tap-2', later(3))).to.deep.equal({ outcome: 'already', level: 4 });
      expect((await subject.ledger.rate(id, 4, 'tap-1', later(2))).outcome, 'a rerun of the answering turn').to.equal('rated');
      expect(await subject.tasks(), 'a good rating opens no task').to.deep.equal([]);
      expect((await subject.ledger.rate('0'.repeat(32), 5, 'tap-3', later(3))).outcome).to.equal('missing');
    });

    it('opens a rectification task for a negative answer, once, and keeps the comment on it', async () => {
      await subject.ledger.served(guide('tel:+8613800000005', 'passport-apply'));
      const question = await subject.ledger.invite({ userKey: 'test|tel:+8613800000005', reason: 'idle' }, later(11));
      const id = question?._id ?? '';
      expect(await subject.ledger.comment(id, '太慢'), 'no comment before an answer').to.equal(false);
      await subject.ledger.rate(id, 2, 'tap-1', later(12));
      await subject.ledger.rate(id, 2, 'tap-1', later(12));
      expect(await subject.ledger.comment(id, '排队两个小时')).to.equal(true);
      const tasks = await subject.tasks();
      expect(tasks).to.deep.equal([{ id, level: 2, comment: '排队两个小时' }]);
    });

    it('knows the question a citizen has not answered yet, for a day', async () => {
      await subject.ledger.served(guide('tel:+8613800000006', 'passport-apply'));
      const question = await subject.ledger.invite({ userKey: 'test|tel:+8613800000006', reason: 'thanks', askedIn: 'x' }, later(1));
      expect((await subject.ledger.outstanding('test|tel:+8613800000006', NOW))?._id).to.equal(question?._id);
      expect(await subject.ledger.outstanding('test|tel:+8613800000006', later(2)), 'older than asked for').to.equal(null);
      expect(await subject.ledger.outstanding('test|tel:+8613800000007', NOW), 'another citizen').to.equal(null);
      await subject.ledger.rate(question?._id ?? '', 5, 'tap', later(3));
      expect(await subject.ledger.outstanding('test|tel:+8613800000006', NOW), 'answered').to.equal(null);
    });
  });
}

ledgerSpec('memory', async () => {
  const ledger = new MemoryRatingLedger(ZONE);
  return { ledger, tasks: async () => ledger.rectifications.map(({ id, level, comment }) => ({ id, level, ...(comment ? { comment } : {}) })), close: async () => undefined };
});

ledgerSpec('MongoDB', async () => {
  const mongo = await startTestMongo({ name: 'ratings' });
  const { connection, ledger, store } = await mongoSubject(mongo);
  return {
    ledger,
    tasks: async () => (await store.model.find().lean().exec()).map(({ _id, level, comment }) => ({ id: _id, level, ...(comment ? { comment } : {}) })),
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
});

describe('rating ledger: several processes on one store', function () {
  this.timeout(30_000);
  let mongo: TestMongo;
  let processes: Array<Awaited<ReturnType<typeof mongoSubject>>>;
  before(async () => {
    mongo = await startTestMongo({ name: 'ratings_race' });
    processes = await Promise.all([1, 2, 3, 4].map(() => mongoSubject(mongo)));
  });
  after(async () => {
    for (const each of processes) await each.connection.close();
    await mongo.close();
  });

  it('lets exactly one of several askers racing for the same services ask', async () => {
    for (let user = 0; user < 20; user++) {
      const id = `tel:+86139000000${String(user).padStart(2, '0')}`;
      await processes[0]?.ledger.served(guide(id, 'passport-apply'));
      await processes[0]?.ledger.served(guide(id, 'hukou-newborn'));
      const asked = await Promise.all(processes.map((each, index) => each.ledger.invite({ userKey: `test|${id}`, reason: index === 0 ? 'thanks' : 'idle', ...(index === 0 ? { askedIn: `m-${user}` } : {}) }, later(20))));
      expect(asked.filter(Boolean), id).to.have.length(1);
      const services = await processes[1]?.ledger.services.find({ userKey: `test|${id}` }).lean().exec();
      expect(new Set(services?.map((service) => service.invitation)).size).to.equal(1);
      expect(services?.every((service) => service.askAfter === undefined)).to.equal(true);
    }
  });

  it('gives each service to one question when two questions claimed overlapping services; one left with none is void', async () => {
    const ledger = processes[0]?.ledger as MongoRatingLedger;
    const services = [guide('tel:+8613911110000', 'passport-apply'), guide('tel:+8613911110000', 'hukou-newborn', later(1))];
    for (const service of services) await ledger.served(service);
    const base = { userKey: services[0]?.userKey ?? '', userId: 'tel:+8613911110000', platformId: 'test', kinds: ['guide' as const], reason: 'idle' as const, state: 'claimed' as const, createdAt: later(20) };
    const wide = { ...base, _id: invitationId(base.userKey, services.map((each) => each._id)), services: services.map((each) => each._id), items: ['passport-apply', 'hukou-newborn'] };
    const narrow = { ...base, _id: invitationId(base.userKey, [services[0]?._id ?? '']), services: [services[0]?._id ?? ''], items: ['passport-apply'] };
    await ledger.invitations.create([wide, narrow]);
    const [first, second] = await Promise.all([processes[1]?.ledger.assign(narrow, later(20)), processes[2]?.ledger.assign(wide, later(20))]);
    const covered = [...(first?.services ?? []), ...(second?.services ?? [])].sort();
    expect(covered).to.deep.equal(services.map((each) => each._id).sort());
    const owners = async (): Promise<Array<string | undefined>> => (await ledger.services.find({ userKey: base.userKey }).sort({ _id: 1 }).lean().exec()).map((service) => service.invitation);
    const before = await owners();
    for (const owner of before) expect([first?._id, second?._id]).to.include(owner);
    await ledger.assign(wide, later(21));
    await ledger.assign(narrow, later(21));
    expect(await owners(), 'a service once given stays with its question').to.deep.equal(before);
  });

  it('finds a question a crash left claimed and unsent, and finishes it without asking twice', async () => {
    const ledger = processes[0]?.ledger as MongoRatingLedger;
    const service = guide('tel:+8613922220000', 'passport-apply');
    await ledger.served(service);
    const crashed = { _id: invitationId(service.userKey, [service._id]), userKey: service.userKey, userId: service.userId, platformId: 'test', services: [service._id], items: ['passport-apply'], kinds: ['guide' as const], reason: 'idle' as const, state: 'claimed' as const, createdAt: later(11) };
    await ledger.invitations.create(crashed);
    expect(await processes[1]?.ledger.invite({ userKey: service.userKey, reason: 'idle' }, later(12)), 'the same services collide with it').to.equal(undefined);
    const unfinished = await ledger.unfinished(later(13), 10);
    expect(unfinished.map((each) => each._id)).to.include(crashed._id);
    expect((await ledger.assign(crashed, later(13)))?.services).to.deep.equal([service._id]);
    await ledger.markSent(crashed._id, later(13));
    expect((await ledger.unfinished(later(14), 10)).map((each) => each._id)).not.to.include(crashed._id);
  });
});
