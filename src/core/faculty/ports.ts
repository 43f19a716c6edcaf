import type { IsoDate, PersonRef } from "../model.js";

/** A faculty saved reply, shared by all faculty. */
export interface ReplyTemplate {
  id: string;
  name: string;
  text: string;
  createdById: string;
  createdAt: Date;
}

/** One faculty workbench change, written in the change's transaction and never updated. */
export interface WorkbenchAudit {
  actorId: string;
  /** template-add, template-remove, away, away-off, skills. */
  action: string;
  /** A template's name, or the person's id. */
  subject: string;
  note: string;
  at: Date;
}

/** Saved replies for Ask for information and Decline. */
export interface ReplyTemplateStore {
  list(): Promise<ReplyTemplate[]>;
  find(id: string): Promise<ReplyTemplate | undefined>;
  /** Stores it with its audit event; undefined (nothing stored) when the name is taken in any case. */
  add(template: Pick<ReplyTemplate, "name" | "text" | "createdById">, audit: WorkbenchAudit): Promise<ReplyTemplate | undefined>;
  /** Removes the template of this name (any case) with its audit event; false when there is none. */
  remove(name: string, audit: WorkbenchAudit): Promise<boolean>;
}

/** A period a faculty member is away: days inclusive. */
export interface AwayPeriod {
  personId: string;
  from: IsoDate;
  to: IsoDate;
  note: string;
  /** Who gets their nudges meanwhile; the admins when unset. */
  backup?: PersonRef;
}

/** A period as stored: the backup by person id. */
export type StoredAwayPeriod = Omit<AwayPeriod, "backup"> & { backupId?: string };

export interface AvailabilityStore {
  /** A person's periods that end on `day` or later, by start. */
  listFrom(personId: string, day: IsoDate): Promise<AwayPeriod[]>;
  /**
   * Replaces the person's periods that end on `day` or later with `periods`, with its
   * audit event, in one transaction. Periods that ended before `day` are history, kept.
   */
  replaceFrom(personId: string, day: IsoDate, periods: StoredAwayPeriod[], audit: WorkbenchAudit): Promise<void>;
  /** The periods that include `day`, of these people (everyone when undefined). */
  awayOn(day: IsoDate, personIds?: string[]): Promise<AwayPeriod[]>;
}

/** What each faculty member covers: lower-case tags. */
export interface SkillStore {
  listFor(personId: string): Promise<string[]>;
  /** Replaces the person's tags, with its audit event, in one transaction. */
  set(personId: string, tags: string[], audit: WorkbenchAudit): Promise<void>;
  /** Every person's tags, by person id. */
  all(): Promise<Map<string, string[]>>;
}
