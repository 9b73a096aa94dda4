import { expect } from 'chai';
import { parseDeliveryNotification } from '../../../src/channels/ctcu/deliveryNotification.js';
import { parseAuditResult, parseSpamComplaint } from '../../../src/channels/ctcu/notices.js';
import { InvalidRequestError } from '../../../src/http/errors.js';

describe('CT/CU delivery and notice parsing', () => {
  it('turns several delivery infos into reports, mapping revoke results and keeping error codes', () => {
    const reports = parseDeliveryNotification({
      deliveryInfoList: [
        { messageId: 'm1', status: 'delivered', dateTime: '2024-05-01T10:00:00+08:00', destinationAddress: 'sip:106500@botplatform.rcs.domain.cn', senderAddress: 'tel:+8613900000001' },
        { messageId: 'm2', status: 'failed', errorCode: 2, errorMessage: 'not a 5G terminal', senderAddress: 'tel:+8613900000002' },
        { messageId: 'm3', status: 'revokeOk' },
        { messageId: 'm4', status: 'revokeFail', errorCode: '4' },
      ],
    });
    expect(reports).to.deep.equal([
      { messageId: 'm1', status: 'delivered', at: new Date('2024-05-01T02:00:00Z'), userId: 'tel:+8613900000001' },
      { messageId: 'm2', status: 'failed', userId: 'tel:+8613900000002', errorCode: 2, errorMessage: 'not a 5G terminal' },
      { messageId: 'm3', status: 'revoked' },
      { messageId: 'm4', status: 'revokeFailed', errorCode: 4 },
    ]);
  });

  it('keeps an unknown status as unrecognised news instead of refusing the batch it came in', () => {
    expect(parseDeliveryNotification({ deliveryInfoList: [{ messageId: 'm', status: 'lost' }] })).to.deep.equal([{ messageId: 'm', status: 'unrecognised', carrierStatus: 'lost' }]);
  });

  it('refuses an empty list and a report without a status', () => {
    expect(() => parseDeliveryNotification({ deliveryInfoList: [] })).to.throw(InvalidRequestError, /deliveryInfoList/);
    expect(() => parseDeliveryNotification({ deliveryInfoList: [{ messageId: 'm' }] })).to.throw(InvalidRequestError, /status/);
  });

  it('parses complaints and audit results', () => {
    expect(parseSpamComplaint({ messageId: ['a', 'b'], spamType: 'ad', freeText: '骚扰' })).to.deep.equal({ kind: 'spamComplaint', messageIds: ['a', 'b'], spamType: 'ad', freeText: '骚扰' });
    expect(parseAuditResult({ type: 'media', result: 'fail', description: 'blurry' })).to.include({ kind: 'auditResult', subject: 'media', passed: false, description: 'blurry' });
    expect(() => parseAuditResult({ type: 'media', result: 'maybe' })).to.throw(InvalidRequestError, /result/);
  });
});
