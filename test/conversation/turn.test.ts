import { expect } from 'chai';
import { pino } from 'pino';
import { MemoryApplications } from '../../src/applications/applications.js';
import { FlowRegistry } from '../../src/conversation/flow.js';
import { createFlowRegistry } from '../../src/conversation/flows/index.js';
import { guideFlow } from '../../src/conversation/flows/guide.js';
import { loadHelpMenu } from '../../src/conversation/helpMenu.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import type { SessionStore } from '../../src/conversation/session.js';
import { MemorySessionStore } from '../../src/conversation/sessionStores.js';
import { MemoryHandoffs } from '../../src/handoff/memoryHandoffs.js';
import { MemoryRatingLedger } from '../../src/ratings/memoryLedger.js';
import { LevelNames } from '../../src/ratings/levels.js';
import { AgentHours } from '../../src/handoff/agentHours.js';
import { MemorySubscriptions } from '../../src/subscriptions/subscriptions.js';
import { createConversation, SessionConflict } from '../../src/conversation/turn.js';
import { maskUser } from '../../src/conversation/turnLog.js';
import { CARDS, Chat, FIXED_NOW, freshAppointments, policyServices, SECRET, sharedContent, startChat } from './transcript.js';

/** A conversation whose flows are only the given registry's. */
async function chatWith(registry: FlowRegistry, sessions: SessionStore = new MemorySessionStore(() => FIXED_NOW)): Promise<Chat> {
  const { nlu, catalog, templates } = await sharedContent();
  const conversation = createConversation({
    services: {
      catalog,
      nlu,
      postbacks: new PostbackCodec(SECRET),
      applications: new MemoryApplications([]),
      appointments: await freshAppointments(),
      helpMenu: loadHelpMenu(CARDS, catalog),
      handoffs: new MemoryHandoffs(),
      agentHours: AgentHours.load(CARDS, 'Asia/Shanghai'),
      subscriptions: new MemorySubscriptions(),
      ratings: { ledger: new MemoryRatingLedger(), levels: LevelNames.load(CARDS), idleMs: 600_000, workingDays: 5 },
      ...(await policyServices()),
      log: pino({ level: 'silent' }),
    },
    registry,
    templates: { current: () => templates },
    sessions,
    idleMs: 60_000,
    log: pino({ level: 'silent' }),
    clock: () => FIXED_NOW,
  });
  return new Chat(conversation, 'tel:+8613800138000', FIXED_NOW);
}

describe('conversation: the turn', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('runs a turn again for the same message with the same replies and no change of state', async () => {
    const chat = await startChat();
    await chat.send('我要办护照');
    const event = chat.event({ type: 'text', text: '居住证续签要带什么' });
    const first = await chat.rerun(event);
    const again = await chat.rerun(event);
    expect(again.messages).to.deep.equal(first.messages);
    expect((await chat.send('多久能好')).titles).to.deep.equal(['居住证签注（续期） · 办理时限']);
  });

  it('answers a turn that fails with one apology naming the hall phone and 转人工, and keeps the session as it was', async () => {
    const broken = new FlowRegistry().register(guideFlow).register({ name: 'broken', subjects: { none: () => Promise.reject(new TypeError('a bug')) } });
    const chat = await chatWith(broken);
    await chat.send('我要办护照');
    const apology = await chat.send('今天天气怎么样');
    expect(apology.texts).to.have.length(1);
    expect(apology.texts[0]).to.contain('0755-26660000');
    expect(apology.buttons).to.include('转人工');
  });

  it('rethrows store failures for the processor to retry, saving nothing', async () => {
    const failing: SessionStore = {
      load: () => Promise.reject(Object.assign(new Error('connection refused'), { name: 'MongoNetworkError' })),
      save: () => Promise.reject(new Error('never reached')),
    };
    const chat = await chatWith(createFlowRegistry(), failing);
    let caught: unknown;
    await chat.send('你好').catch((error: unknown) => (caught = error));
    expect((caught as Error).name).to.equal('MongoNetworkError');
  });

  it('runs the turn again on the newer session when another turn saved first, and gives up after three', async () => {
    const memory = new MemorySessionStore(() => FIXED_NOW);
    let refusals = 1;
    const contended: SessionStore = { load: (key) => memory.load(key), save: (...args) => (refusals-- > 0 ? Promise.resolve(false) : memory.save(...args)) };
    const chat = await chatWith(createFlowRegistry(), contended);
    expect((await chat.send('我要办护照')).titles).to.deep.equal(['普通护照申领']);
    refusals = 3;
    let caught: unknown;
    await chat.send('你好').catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(SessionConflict);
  });

  it('masks the citizen number in logs', () => {
    expect(maskUser('tel:+8613800138000')).to.equal('tel:+86138****8000');
    expect(maskUser('tel:+85291234567')).to.not.contain('91234567');
  });
});
