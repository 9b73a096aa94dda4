/** CT/CU `deliveryNotification` bodies → carrier-neutral DeliveryReports (several per call). */
import { z } from 'zod';
import type { DeliveryReport } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import { describeIssues } from '../common/zodIssues.js';

const STATUS: Record<string, DeliveryReport['status']> = {
  sent: 'sent',
  failed: 'failed',
  delivered: 'delivered',
  displayed: 'displayed',
  deliveredToNetwork: 'deliveredToNetwork',
  revokeOk: 'revoked',
  revokeFail: 'revokeFailed',
};

const deliveryInfoSchema = z.object({
  messageId: z.string().min(1).max(256),
  // An unknown status is news to keep, not a reason to refuse the call (the platform would retry it).
  status: z.string().min(1).max(64),
  dateTime: z.string().max(64).optional(),
  destinationAddress: z.string().max(256).optional(),
  senderAddress: z.string().max(256).optional(),
  errorCode: z.union([z.number().int(), z.string().regex(/^-?\d{1,9}$/).transform(Number)]).optional(),
  errorMessage: z.string().max(2000).optional(),
});

const deliveryNotificationSchema = z.object({ deliveryInfoList: z.array(deliveryInfoSchema).min(1).max(1000) });

export function parseDeliveryNotification(body: unknown): DeliveryReport[] {
  const result = deliveryNotificationSchema.safeParse(body);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error));
  return result.data.deliveryInfoList.map((info) => {
    const status = STATUS[info.status];
    const report: DeliveryReport = status ? { messageId: info.messageId, status } : { messageId: info.messageId, status: 'unrecognised', carrierStatus: info.status };
    const at = info.dateTime ? new Date(info.dateTime) : undefined;
    if (at && !Number.isNaN(at.getTime())) report.at = at;
    // Which of the two addresses is the user differs between platforms: the user is the tel: one.
    const user = [info.senderAddress, info.destinationAddress].find((address) => address?.startsWith('tel:'));
    if (user) report.userId = user;
    if (info.errorCode !== undefined) report.errorCode = info.errorCode;
    if (info.errorMessage !== undefined) report.errorMessage = info.errorMessage;
    return report;
  });
}
