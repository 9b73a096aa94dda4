/**
 * The enterprise directory as the rest of the bot asks it: who a contact number serves (the
 * policy finder), one enterprise by code, how many there are; and its in-memory twin for
 * conversation tests.
 */
import type { Connection } from 'mongoose';
import { enterpriseModel, type Enterprise, type EnterpriseModel } from './enterprise.js';

/** At most this many enterprises are offered for one contact number. */
export const MAX_PER_CONTACT = 10;

export interface EnterpriseLookup {
  /** The enterprises whose contact is this number (`tel:+86…`), by name. */
  byPhone(phone: string): Promise<Enterprise[]>;
  get(creditCode: string): Promise<Enterprise | null>;
}

export class Directory implements EnterpriseLookup {
  readonly model: EnterpriseModel;

  constructor(connection: Connection) {
    this.model = enterpriseModel(connection);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async byPhone(phone: string): Promise<Enterprise[]> {
    const found = await this.model.find({ phone }).limit(MAX_PER_CONTACT).lean<Enterprise[]>().exec();
    return found.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  get(creditCode: string): Promise<Enterprise | null> {
    return this.model.findById(creditCode).lean<Enterprise>().exec();
  }

  count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }
}

export class MemoryDirectory implements EnterpriseLookup {
  constructor(readonly enterprises: Enterprise[] = []) {}

  async byPhone(phone: string): Promise<Enterprise[]> {
    return this.enterprises.filter((enterprise) => enterprise.phone === phone).slice(0, MAX_PER_CONTACT);
  }

  async get(creditCode: string): Promise<Enterprise | null> {
    return this.enterprises.find((enterprise) => enterprise._id === creditCode) ?? null;
  }
}
