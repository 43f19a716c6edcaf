import type { AvailabilityStore, AwayPeriod, ReplyTemplate, ReplyTemplateStore, SkillStore, WorkbenchAudit } from "../../core/ports.js";
import { appendOtherEvent } from "../audit-chain.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../ids.js";
import { guard, isUniqueViolation } from "./errors.js";
import { PERSON, toPersonRef } from "./request-rows.js";

/** Faculty workbench storage: saved replies, periods away and skills, each change with its audit event. */

type Tx = Prisma.TransactionClient;

const auditRow = (audit: WorkbenchAudit) => ({
  id: newRowId(),
  actorId: audit.actorId,
  action: audit.action,
  subject: audit.subject,
  note: audit.note,
  at: audit.at,
});

const nameKeyOf = (name: string) => name.trim().toLowerCase();

function toTemplate(row: Prisma.ReplyTemplateGetPayload<object>): ReplyTemplate {
  return { id: row.id, name: row.name, text: row.text, createdById: row.createdById, createdAt: row.createdAt };
}

export function createReplyTemplateStore(prisma: Db): ReplyTemplateStore {
  return {
    list: () => guard(async () => (await prisma.replyTemplate.findMany({ orderBy: { nameKey: "asc" } })).map(toTemplate)),
    find: (id) =>
      guard(async () => {
        const row = await prisma.replyTemplate.findUnique({ where: { id } });
        return row ? toTemplate(row) : undefined;
      }),
    add: (template, audit) =>
      guard(async () => {
        try {
          return await prisma.$transaction(async (tx: Tx) => {
            const row = await tx.replyTemplate.create({ data: { ...template, nameKey: nameKeyOf(template.name) } });
            await appendOtherEvent(tx, auditRow(audit));
            return toTemplate(row);
          });
        } catch (error) {
          if (isUniqueViolation(error)) return undefined;
          throw error;
        }
      }),
    remove: (name, audit) =>
      guard(() =>
        prisma.$transaction(async (tx: Tx) => {
          const row = await tx.replyTemplate.findUnique({ where: { nameKey: nameKeyOf(name) } });
          if (!row) return false;
          await tx.replyTemplate.delete({ where: { id: row.id } });
          // The audit names the template as it was saved, whatever case it was removed in.
          await appendOtherEvent(tx, auditRow({ ...audit, subject: row.name }));
          return true;
        }),
      ),
  };
}

const AWAY_INCLUDE = { backup: PERSON } as const;

function toAwayPeriod(row: Prisma.AwayPeriodGetPayload<{ include: typeof AWAY_INCLUDE }>): AwayPeriod {
  return {
    personId: row.personId,
    from: row.fromDay,
    to: row.toDay,
    note: row.note,
    ...(row.backup ? { backup: toPersonRef(row.backup) } : {}),
  };
}

export function createAvailabilityStore(prisma: Db): AvailabilityStore {
  return {
    listFrom: (personId, day) =>
      guard(async () =>
        (
          await prisma.awayPeriod.findMany({
            where: { personId, toDay: { gte: day } },
            include: AWAY_INCLUDE,
            orderBy: { fromDay: "asc" },
          })
        ).map(toAwayPeriod),
      ),
    replaceFrom: (personId, day, periods, audit) =>
      guard(() =>
        prisma.$transaction(async (tx: Tx) => {
          await tx.awayPeriod.deleteMany({ where: { personId, toDay: { gte: day } } });
          for (const period of periods) {
            await tx.awayPeriod.create({
              data: { personId, fromDay: period.from, toDay: period.to, note: period.note, backupId: period.backupId ?? null },
            });
          }
          await appendOtherEvent(tx, auditRow(audit));
        }),
      ),
    awayOn: (day, personIds) =>
      guard(async () =>
        (
          await prisma.awayPeriod.findMany({
            where: { fromDay: { lte: day }, toDay: { gte: day }, ...(personIds ? { personId: { in: personIds } } : {}) },
            include: AWAY_INCLUDE,
          })
        ).map(toAwayPeriod),
      ),
  };
}

export function createSkillStore(prisma: Db): SkillStore {
  return {
    listFor: (personId) =>
      guard(async () => (await prisma.skill.findMany({ where: { personId }, orderBy: { tag: "asc" } })).map((row) => row.tag)),
    set: (personId, tags, audit) =>
      guard(() =>
        prisma.$transaction(async (tx: Tx) => {
          await tx.skill.deleteMany({ where: { personId } });
          if (tags.length > 0) await tx.skill.createMany({ data: tags.map((tag) => ({ personId, tag })) });
          await appendOtherEvent(tx, auditRow(audit));
        }),
      ),
    all: () =>
      guard(async () => {
        const bySkill = new Map<string, string[]>();
        for (const row of await prisma.skill.findMany({ orderBy: { tag: "asc" } })) {
          bySkill.set(row.personId, [...(bySkill.get(row.personId) ?? []), row.tag]);
        }
        return bySkill;
      }),
  };
}
