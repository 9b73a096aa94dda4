/** The MaaP send request on the wire, in both dialects: what a gateway parses out of the bot's bytes. */
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { OutboundMessage } from '../../../src/channels/model.js';
import { encodeRequest, encodeRevoke } from '../../../src/channels/maap/codec.js';
import { boundaryOf, buildMultipart, parseMultipart } from '../../../src/channels/maap/multipart.js';
import { toMaapRequest } from '../../../src/channels/maap/outbound.js';

const CHATBOT = 'sip:12599@botplatform.rcs.chinamobile.com';
const USER = 'tel:+8613900000001';
const card = { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' as const }, content: { title: '居住证申领', description: '材料：身份证、居住登记 😀' } } } };
const chips = [{ reply: { displayText: '预约办理', postback: { data: 'book' } } }];
const message: OutboundMessage = {
  userId: USER,
  platformId: 'cmcc',
  body: { type: 'card', card },
  suggestions: chips,
  smsFallback: '【政务服务】居住证申领',
  trafficType: 'advertisement',
  inReplyTo: 'contribution-7',
  conversationId: 'conversation-1',
};
const request = toMaapRequest(message, { messageId: 'm-1', chatbotId: CHATBOT, senderName: '政务服务' });

/** A plain parser, as a gateway would use: CDATA kept apart so the body text is exact. */
const gateway = new XMLParser({ removeNSPrefix: true, parseTagValue: false, cdataPropName: '#cdata' });

describe('MaaP send request', () => {
  it('puts a card and its chip list into multipart/mixed with Content-Length in UTF-8 bytes, lines ending CRLF', () => {
    const im = request.outboundIMMessage;
    expect(im.contentType).to.equal('multipart/mixed; boundary="next"');
    const cardJson = JSON.stringify(card);
    const chipJson = JSON.stringify({ suggestions: chips });
    expect(Buffer.byteLength(cardJson)).to.be.greaterThan(cardJson.length);
    expect(im.bodyText).to.equal(
      [
        '--next',
        'Content-Type: application/vnd.gsma.botmessage.v1.0+json',
        'Content-Disposition: inline; filename="Message"',
        `Content-Length: ${Buffer.byteLength(cardJson, 'utf8')}`,
        '',
        cardJson,
        '--next',
        'Content-Type: application/vnd.gsma.botsuggestion.v1.0+json',
        'Content-Disposition: inline; filename="Chiplist.lst"',
        `Content-Length: ${Buffer.byteLength(chipJson, 'utf8')}`,
        '',
        chipJson,
        '--next--',
        '',
      ].join('\r\n'),
    );
  });

  it('carries fallbacks, traffic type, threading and the stable ids', () => {
    expect(request).to.deep.include({ address: USER, destinationAddress: [USER], senderAddress: CHATBOT, senderName: '政务服务', clientCorrelator: 'm-1', productType: '2' });
    expect(request.outboundIMMessage).to.deep.include({
      messageId: 'm-1',
      conversationID: 'conversation-1',
      inReplyToContributionID: 'contribution-7',
      fallbackSupported: true,
      fallbackContentType: 'text/plain',
      rcsBodyText: '【政务服务】居住证申领',
      shortMessageSupported: true,
      smsBodyText: '【政务服务】居住证申领',
      trafficType: 'advertisement',
      imFormat: 'IM',
      storeSupported: true,
    });
    expect(toMaapRequest(message, { messageId: 'm-1', chatbotId: CHATBOT }).outboundIMMessage.contributionID).to.equal(request.outboundIMMessage.contributionID);
  });

  it('sends a lone text as text/plain, with no SMS fallback when there is no SMS text', () => {
    const plain = toMaapRequest({ userId: USER, body: { type: 'text', text: '您好' } }, { messageId: 'm-2', chatbotId: CHATBOT });
    expect(plain.outboundIMMessage).to.deep.include({ contentType: 'text/plain', bodyText: '您好', shortMessageSupported: false });
    expect(plain.outboundIMMessage).not.to.have.property('fallbackSupported');
    expect(plain.productType).to.equal('1');
  });

  it('writes the XML dialect in the OMA namespace, with repeated elements and the body in CDATA', () => {
    const { contentType, body } = encodeRequest('xml', request);
    expect(contentType).to.match(/^application\/xml/);
    expect(body).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?><msg:outboundMessageRequest xmlns:msg="urn:oma:xml:rest:netapi:messaging:1">/);
    expect(body).to.include('<bodyText><![CDATA[--next\r\n');
    const parsed = gateway.parse(body).outboundMessageRequest;
    expect(parsed.destinationAddress).to.equal(USER);
    expect(parsed.outboundIMMessage.bodyText['#cdata'].replace(/\r/g, '')).to.equal(request.outboundIMMessage.bodyText.replace(/\r/g, ''));
    expect(parsed.outboundIMMessage.serviceCapability).to.deep.equal({ capabilityId: 'ChatbotSA', version: '+g.gsma.rcs.botversion="#=1"' });
    expect(parsed.outboundIMMessage.reportRequest).to.deep.equal(['Delivered', 'Displayed', 'Failed', 'SMS']);
    expect(parsed.outboundIMMessage.shortMessageSupported).to.equal('true');
  });

  it('splits a body holding "]]>" over two CDATA sections, so the text survives', () => {
    const tricky = toMaapRequest({ userId: USER, body: { type: 'text', text: 'a]]>b<c>&d' } }, { messageId: 'm-3', chatbotId: CHATBOT });
    const { body } = encodeRequest('xml', tricky);
    const parsed = gateway.parse(body).outboundMessageRequest;
    expect([parsed.outboundIMMessage.bodyText['#cdata']].flat().join('')).to.equal('a]]>b<c>&d');
  });

  it('writes the JSON dialect flat, recipients comma-separated and serviceCapability as an array', () => {
    const { contentType, body } = encodeRequest('json', { ...request, destinationAddress: [USER, 'tel:+8613900000002'] });
    expect(contentType).to.match(/^application\/json/);
    const parsed = JSON.parse(body);
    expect(parsed.destinationAddress).to.equal(`${USER},tel:+8613900000002`);
    expect(parsed.outboundIMMessage.serviceCapability).to.deep.equal([{ capabilityId: 'ChatbotSA', version: '+g.gsma.rcs.botversion="#=1"' }]);
    expect(parsed.outboundIMMessage.bodyText).to.equal(request.outboundIMMessage.bodyText);
    expect(parsed.productType).to.equal('2');
  });

  it('asks to revoke in either dialect', () => {
    expect(JSON.parse(encodeRevoke('json', USER).body)).to.deep.equal({ address: USER, status: 'RevokeRequested' });
    expect(gateway.parse(encodeRevoke('xml', USER).body).messageStatusReport).to.deep.include({ address: USER, status: 'RevokeRequested' });
  });
});

describe('multipart/mixed bodies', () => {
  it('reads back what it wrote, multi-byte text included, by byte lengths', () => {
    const parts = [
      { contentType: 'text/plain;charset=UTF-8', body: '第一行\r\n--nextless 😀 ' },
      { contentType: 'application/vnd.gsma.botsuggestion.v1.0+json', disposition: 'inline; filename="Chiplist.lst"', body: '{"suggestions":[]}' },
    ];
    const built = buildMultipart(parts);
    expect(parseMultipart(built.body, boundaryOf(built.contentType) as string)).to.deep.equal(parts);
  });

  it('chooses another boundary when a part holds the delimiter line', () => {
    const built = buildMultipart([{ contentType: 'text/plain', body: 'x\r\n--next\r\ny' }, { contentType: 'text/plain', body: 'z' }]);
    const boundary = boundaryOf(built.contentType) as string;
    expect(boundary).not.to.equal('next');
    expect(parseMultipart(built.body, boundary).map((part) => part.body)).to.deep.equal(['x\r\n--next\r\ny', 'z']);
  });

  it('reads a body whose CRLFs an XML parser turned into LF', () => {
    const built = buildMultipart([{ contentType: 'application/json', body: '{"a":"中"}' }, { contentType: 'application/json', body: '{}' }]);
    expect(parseMultipart(built.body.replace(/\r\n/g, '\n'), 'next').map((part) => part.body)).to.deep.equal(['{"a":"中"}', '{}']);
  });

  it('refuses a Content-Length counted in characters instead of bytes', () => {
    const body = ['--next', 'Content-Type: text/plain', `Content-Length: ${'中文'.length}`, '', '中文', '--next--', ''].join('\r\n');
    expect(() => parseMultipart(body, 'next')).to.throw(/Content-Length 2 does not end at the next delimiter/);
  });
});
