import { expect } from 'chai';
import type { OutboundMessage, OutboundTransport, SendOutcome } from '../../src/channels/model.js';
import { PlatformTransport } from '../../src/channels/platforms.js';

class Recording implements OutboundTransport {
  readonly sent: string[] = [];
  async send(messageId: string): Promise<SendOutcome> {
    this.sent.push(messageId);
    return { kind: 'accepted' };
  }
}

const to = (platformId: string | undefined): OutboundMessage => ({ userId: 'tel:+8613900000001', ...(platformId ? { platformId } : {}), body: { type: 'text', text: 'x' } });

describe('sending through the platform of each message', () => {
  it('hands each message to its own platform’s transport', async () => {
    const ctcu = new Recording();
    const cmcc = new Recording();
    const transport = new PlatformTransport([
      { platformId: 'ctcu', transport: ctcu },
      { platformId: 'cmcc', transport: cmcc },
    ]);
    await transport.send('a', to('cmcc'));
    await transport.send('b', to('ctcu'));
    expect(cmcc.sent).to.deep.equal(['a']);
    expect(ctcu.sent).to.deep.equal(['b']);
  });

  it('fails a message for a platform that is not configured, naming it', async () => {
    const transport = new PlatformTransport([{ platformId: 'ctcu', transport: new Recording() }]);
    expect(await transport.send('a', to('gone'))).to.deep.equal({ kind: 'rejected', reason: 'no platform "gone" is configured' });
    expect(await transport.send('b', to(undefined))).to.deep.equal({ kind: 'rejected', reason: 'no platform "(none)" is configured' });
  });
});
