import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainText } from "../../src/chat/inert.js";
import { reminderAction } from "../../src/chat/interactions/reminder-action.js";
import { encodeReminderAction } from "../../src/chat/views.js";
import type { Actor } from "../../src/core/model.js";
import { actorWith, coreDeps, interactionDeps } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("reminder buttons on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let viewer: Actor;
  let outsider: Actor;
  let reminderId: string;

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database);
    const { prisma } = db.database;
    await prisma.case.create({ data: { id: "BN-D-YAB", title: "ATC radar", status: "OFFERED", type: "FMS", category: "C" } });
    await prisma.milestone.create({ data: { id: "m1", caseId: "BN-D-YAB", type: "OED", dueDate: "2026-03-16" } });
    await deps.outbox.insertReminder(
      { subjectKey: "milestone:m1", dueDate: "2026-03-16", offsetDays: 14, platform: "slack", conversationId: "C1" },
      new Date(),
    );
    reminderId = (await prisma.outbox.findFirstOrThrow()).id;
    viewer = await actorWith(deps, "slack:UVIEW", "Viewer", [{ role: "case-viewer", scope: "BN-D" }]);
    outsider = await actorWith(deps, "slack:UOUT", "Outsider");
  });
  afterAll(() => db.dispose());

  const value = () => encodeReminderAction({ milestoneId: "m1", reminderId });
  const handleReminderAction = async (_deps: unknown, actor: Actor, id: "milestoneDone" | "reminderSnooze", text: string) => {
    const outcome = await reminderAction(interactionDeps(deps), actor, id, text, "slack");
    if (outcome.kind === "invalid" || outcome.kind === "form") throw new Error(`unexpected ${outcome.kind}`);
    return outcome.notice;
  };

  it("refuses people who may not see the case, the same way as a missing one", async () => {
    expect((await handleReminderAction(deps, outsider, "milestoneDone", value())).text).toMatch(/not found, or you do not have access/);
    expect((await handleReminderAction(deps, outsider, "reminderSnooze", value())).text).toMatch(/not found, or you do not have access/);
    expect((await db.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m1" } })).completedDate).toBeNull();
  });

  it("snoozes only a reminder that was sent", async () => {
    expect((await handleReminderAction(deps, viewer, "reminderSnooze", value())).text).toMatch(/Only a reminder that was sent/);
    expect((await deps.outbox.find(reminderId))?.snoozes).toBe(0);
  });

  it("snoozes a reminder by a day", async () => {
    await db.database.prisma.outbox.update({ where: { id: reminderId }, data: { status: "SENT" } });
    expect((await handleReminderAction(deps, viewer, "reminderSnooze", value())).text).toMatch(/comes back in a day/);
    const row = await deps.outbox.find(reminderId);
    expect(row?.status).toBe("PENDING");
    expect(row!.nextAttemptAt.getTime() - deps.clock.now().getTime()).toBe(24 * 3_600_000);
  });

  it("brings a reminder back at most three times", async () => {
    for (let round = 2; round <= 3; round++) {
      await db.database.prisma.outbox.update({ where: { id: reminderId }, data: { status: "SENT" } });
      expect((await handleReminderAction(deps, viewer, "reminderSnooze", value())).text).toMatch(/comes back in a day/);
    }
    await db.database.prisma.outbox.update({ where: { id: reminderId }, data: { status: "SENT" } });
    expect((await handleReminderAction(deps, viewer, "reminderSnooze", value())).text).toMatch(/snoozed 3 times already/);
    expect((await deps.outbox.find(reminderId))?.status).toBe("SENT");
    await db.database.prisma.outbox.update({ where: { id: reminderId }, data: { status: "PENDING", snoozes: 0 } });
  });

  it("marks the milestone done and cancels its pending reminders", async () => {
    expect(plainText((await handleReminderAction(deps, viewer, "milestoneDone", value())).text)).toContain(
      "Offer expiration (OED) for BN-D-YAB, due 2026-03-16: marked done by Viewer on 2026-03-02.",
    );
    expect((await db.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m1" } })).completedDate).toBe("2026-03-02");
    expect((await deps.outbox.find(reminderId))?.status).toBe("CANCELLED");
  });
});
