/**
 * An enterprise of the district's directory, keyed by its 统一社会信用代码, and the `enterprises`
 * collection that holds them. Imports upsert by code; the finder looks enterprises up by their
 * contact's number; a campaign's audience is read in contact-number order (duplicates adjacent).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Profile } from './criteria.js';
import type { Scale } from './vocabulary.js';

export interface Enterprise {
  /** The credit code. */
  _id: string;
  name: string;
  contact?: string;
  /** The contact's mobile, `tel:+86…`. */
  phone?: string;
  /** Canonical GB/T 4754-2017 (section letter and code digits). */
  industry: string;
  type: string;
  scale: Scale;
  tags: string[];
  street?: string;
  registeredAt?: Date;
  employees?: number;
  /** Last year's revenue, 万元. */
  revenue?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields an import may set (the rest is bookkeeping). */
export const ENTERPRISE_FIELDS = ['name', 'contact', 'phone', 'industry', 'type', 'scale', 'tags', 'street', 'registeredAt', 'employees', 'revenue'] as const;
export type EnterpriseField = (typeof ENTERPRISE_FIELDS)[number];

const enterpriseSchema = new Schema<Enterprise>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    contact: String,
    phone: String,
    industry: { type: String, required: true },
    type: { type: String, required: true },
    scale: { type: String, required: true },
    tags: { type: [String], default: () => [] },
    street: String,
    registeredAt: Date,
    employees: Number,
    revenue: Number,
  },
  { collection: 'enterprises', versionKey: false, timestamps: true },
);
// The finder (who is writing?) and the audience build (contacts in order, duplicates adjacent).
enterpriseSchema.index({ phone: 1, _id: 1 });

export type EnterpriseModel = Model<Enterprise>;

export function enterpriseModel(connection: Connection): EnterpriseModel {
  return (connection.models.Enterprise as EnterpriseModel | undefined) ?? connection.model<Enterprise>('Enterprise', enterpriseSchema);
}

/** A directory entry as criteria see it: every tag it has is listed. */
export function profileOf(enterprise: Pick<Enterprise, 'industry' | 'type' | 'scale' | 'tags' | 'street' | 'registeredAt' | 'employees' | 'revenue'>): Profile {
  return {
    industry: enterprise.industry,
    type: enterprise.type,
    scale: enterprise.scale,
    tags: enterprise.tags ?? [],
    tagsComplete: true,
    ...(enterprise.street !== undefined && enterprise.street !== null ? { street: enterprise.street } : {}),
    ...(enterprise.registeredAt ? { registeredAt: new Date(enterprise.registeredAt) } : {}),
    ...(typeof enterprise.employees === 'number' ? { employees: enterprise.employees } : {}),
    ...(typeof enterprise.revenue === 'number' ? { revenue: enterprise.revenue } : {}),
  };
}
