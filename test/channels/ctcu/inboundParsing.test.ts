import { expect } from 'chai';
import { parseMessageNotification } from '../../../src/channels/ctcu/inbound.js';
import { normaliseUserAddress } from '../../../src/channels/common/address.js';
import { parseGeoUri } from '../../../src/channels/common/geo.js';
import { InvalidRequestError } from '../../../src/http/errors.js';

const CHATBOT = 'sip:106500@botplatform.rcs.domain.cn';
const PLATFORM = { platformId: 'ctcu', chatbotId: CHATBOT };

function notification(part: object, extra: object = {}): object {
  return {
    messageId: '4BF4F950-0001',
    messageList: [part],
    dateTime: '2020-01-17T14:42:20.840+08:00',
    destinationAddress: CHATBOT,
    senderAddress: 'tel:+8617928222350',
    conversationId: 'XSFDSFDFSAFDSAS^%',
    contributionId: 'SFF$#REGFY7&^%THT',
    ...extra,
  };
}

function reasonOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidRequestError);
    return (error as InvalidRequestError).reason;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('CT/CU inbound message parsing', () => {
  it('turns a text message into a text event with the envelope fields', () => {
    const event = parseMessageNotification(
      notification({ contentType: 'text/plain', contentText: '我想办居住证' }, { inReplyTo: 'c-1' }),
      PLATFORM,
    );
    expect(event).to.deep.equal({
      messageId: '4BF4F950-0001',
      channel: 'ctcu',
      platformId: 'ctcu',
      chatbotId: CHATBOT,
      userId: 'tel:+8617928222350',
      conversationId: 'XSFDSFDFSAFDSAS^%',
      contributionId: 'SFF$#REGFY7&^%THT',
      inReplyTo: 'c-1',
      sentAt: new Date('2020-01-17T06:42:20.840Z'),
      content: { type: 'text', text: '我想办居住证' },
    });
  });

  it('decodes base64 content', () => {
    const contentText = Buffer.from('预约办理', 'utf8').toString('base64');
    const event = parseMessageNotification(notification({ contentType: 'text/plain', contentEncoding: 'base64', contentText }), PLATFORM);
    expect(event.content).to.deep.equal({ type: 'text', text: '预约办理' });
  });

  it('refuses base64 content that is not base64 or not UTF-8', () => {
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'text/plain', contentEncoding: 'base64', contentText: '@@@' }), PLATFORM))).to.match(/not valid base64/);
    const latin1 = Buffer.from([0xff, 0xfe, 0x41]).toString('base64');
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'text/plain', contentEncoding: 'base64', contentText: latin1 }), PLATFORM))).to.match(/not UTF-8/);
  });

  it('reads a geo: text as a location push with its label', () => {
    const label = encodeURIComponent('深圳市民中心');
    const event = parseMessageNotification(
      notification({ contentType: 'text/plain', contentText: `geo:22.5385,114.0572;crs=gcj02;u=10;rcs-l=${label}` }),
      PLATFORM,
    );
    expect(event.content).to.deep.equal({ type: 'location', latitude: 22.5385, longitude: 114.0572, crs: 'gcj02', uncertaintyMeters: 10, label: '深圳市民中心' });
  });

  it('keeps a malformed geo: string as the text the user typed', () => {
    expect(parseGeoUri('geo:abc')).to.equal(undefined);
    expect(parseGeoUri('geo:91.0,10.0')).to.equal(undefined);
    const event = parseMessageNotification(notification({ contentType: 'text/plain', contentText: 'geo:here please' }), PLATFORM);
    expect(event.content).to.deep.equal({ type: 'text', text: 'geo:here please' });
  });

  it('parses a file transfer (as a JSON string, base64, or already-decoded JSON)', () => {
    const files = [
      { type: 'thumbnail', url: 'https://f.example/t.jpg', fileName: 't.jpg', contentType: 'image/jpeg', fileSize: '2048', until: '2030-01-01T00:00:00Z' },
      { type: 'file', url: 'https://f.example/id.jpg', fileName: 'id.jpg', contentType: 'image/jpeg', fileSize: 102400 },
    ];
    const expected = {
      type: 'file',
      files: [
        { kind: 'thumbnail', url: 'https://f.example/t.jpg', fileName: 't.jpg', contentType: 'image/jpeg', fileSize: 2048, until: '2030-01-01T00:00:00Z' },
        { kind: 'file', url: 'https://f.example/id.jpg', fileName: 'id.jpg', contentType: 'image/jpeg', fileSize: 102400 },
      ],
    };
    const contentType = 'application/vnd.gsma.rcs-ft-http';
    for (const part of [
      { contentType, contentText: JSON.stringify(files) },
      { contentType, contentEncoding: 'base64', contentText: Buffer.from(JSON.stringify(files)).toString('base64') },
      { contentType, contentText: files },
    ]) {
      expect(parseMessageNotification(notification(part), PLATFORM).content).to.deep.equal(expected);
    }
  });

  it('parses a tapped reply and a tapped action into a postback', () => {
    const contentType = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
    const reply = { response: { reply: { displayText: '预约办理', postback: { data: 'book:residence' } } } };
    expect(parseMessageNotification(notification({ contentType, contentText: JSON.stringify(reply) }), PLATFORM).content).to.deep.equal({
      type: 'postback',
      data: 'book:residence',
      displayText: '预约办理',
    });
    const action = { response: { action: { displayText: '拨打热线', postback: { data: 'dial' }, dialerAction: { dialPhoneNumber: { phoneNumber: '12345' } } } } };
    expect(parseMessageNotification(notification({ contentType, contentText: action }), PLATFORM).content).to.deep.equal({
      type: 'postback',
      data: 'dial',
      displayText: '拨打热线',
    });
  });

  it('parses shared device data', () => {
    const contentType = 'application/vnd.gsma.botsharedclientdata.v1.0+json';
    const data = { sharedData: { deviceSpecifics: { deviceModel: 'P40', platformVersion: 'Android 10', clientVendor: 'HW', clientVersion: '2.1', batteryRemainingMinutes: 300 } } };
    expect(parseMessageNotification(notification({ contentType, contentText: JSON.stringify(data) }), PLATFORM).content).to.deep.equal({
      type: 'device',
      device: { deviceModel: 'P40', platformVersion: 'Android 10', clientVendor: 'HW', clientVersion: '2.1', batteryRemainingMinutes: 300 },
    });
  });

  it('names the field that is wrong', () => {
    expect(reasonOf(() => parseMessageNotification({ messageList: [] }, PLATFORM))).to.match(/messageId/);
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'text/plain', contentText: 5 }), PLATFORM))).to.match(/messageList\[0\]\.contentText/);
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'image/gif', contentText: 'x' }), PLATFORM))).to.match(/unsupported content type/);
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'application/vnd.gsma.rcs-ft-http', contentText: '[{' }), PLATFORM))).to.match(/not valid JSON/);
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'application/vnd.gsma.rcs-ft-http', contentText: '[{"type":"video"}]' }), PLATFORM))).to.match(/contentText\[0\]/);
    expect(reasonOf(() => parseMessageNotification(notification({ contentType: 'text/plain', contentText: 'hi' }, { senderAddress: 'mailto:a@b' }), PLATFORM))).to.match(/senderAddress/);
    expect(reasonOf(() => parseMessageNotification([], PLATFORM))).to.match(/\(body\)/);
  });

  it('normalises sip: user addresses to tel:', () => {
    expect(normaliseUserAddress('sip:+8613912345678@ims.mnc000.mcc460.3gppnetwork.org')).to.equal('tel:+8613912345678');
    expect(normaliseUserAddress('tel:8613912345678')).to.equal('tel:+8613912345678');
  });
});
