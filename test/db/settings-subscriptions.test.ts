import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createSettingsStore } from "../../src/db/repositories/settings.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

/**
 * Settings and subscriptions are read (and settings written) with Kysely statements: what they
 * store and read must be what Prisma's client stores and reads, filters included.
 */
describe.each(DATABASE_KINDS)("settings and subscriptions against the client's reads ($name)", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(() => db.dispose());

  it("writes a setting the client reads, updatedAt within a same-day filter, and reads what the client wrote", async () => {
    const { prisma } = db.database;
    const before = new Date(Date.now() - 1_000);
    await createSettingsStore(db.database).set("triage-channel:slack", "C0FIRST");
    await createSettingsStore(db.database).set("triage-channel:slack", "C0SECOND");
    const stored = await prisma.setting.findMany({ where: { updatedAt: { gte: before } } });
    expect(stored.map((row) => [row.key, row.value])).toEqual([["triage-channel:slack", "C0SECOND"]]);
    expect(stored[0]!.updatedAt.getTime()).toBeLessThanOrEqual(Date.now());

    await prisma.setting.upsert({
      where: { key: "reminders:last-day" },
      create: { key: "reminders:last-day", value: "2026-03-02" },
      update: { value: "2026-03-02" },
    });
    // A store of its own: nothing cached from the writes above.
    const fresh = createSettingsStore(db.database);
    expect(await fresh.get("reminders:last-day")).toBe("2026-03-02");
    expect(await fresh.get("triage-channel:slack")).toBe("C0SECOND");
    expect(await fresh.get("never-set")).toBeUndefined();
  });

  it("finds and lists subscriptions as the client does: active only, oldest first, by key", async () => {
    const { prisma } = db.database;
    const { subscriptions } = createPrismaRepositories(db.database);
    const made = new Date("2026-03-02T12:00:00Z");
    // Made out of order, so oldest-first is not insertion order; one stopped, one for a request.
    const rows = [
      { id: "s3", platform: "slack", conversationId: "C1", targetType: "case", targetId: "SR-B-1", createdById: "p1", createdAt: made },
      {
        id: "s1",
        platform: "teams",
        conversationId: "a:1",
        targetType: "case",
        targetId: "SR-B-1",
        createdById: "p2",
        createdAt: new Date(made.getTime() - 60_000),
      },
      {
        id: "s2",
        platform: "slack",
        conversationId: "C2",
        targetType: "case",
        targetId: "SR-B-2",
        createdById: "p1",
        createdAt: new Date(made.getTime() - 30_000),
      },
      {
        id: "s4",
        platform: "slack",
        conversationId: "C3",
        targetType: "case",
        targetId: "SR-B-1",
        createdById: "p1",
        createdAt: made,
        disabledReason: "gone",
      },
      { id: "s5", platform: "slack", conversationId: "C1", targetType: "request", targetId: "SR-B-1", createdById: "p1", createdAt: made },
    ];
    await prisma.subscription.createMany({ data: rows });

    const ids = ["SR-B-1", "SR-B-2", "SR-B-9"];
    const listed = await subscriptions.listForTargets("case", ids);
    const client = await prisma.subscription.findMany({
      where: { targetType: "case", targetId: { in: ids }, disabledReason: "" },
      orderBy: { createdAt: "asc" },
    });
    expect(listed.map((item) => item.id)).toEqual(client.map((row) => row.id));
    expect(listed.map((item) => item.id)).toEqual(["s1", "s2", "s3"]);
    expect(listed[0]).toEqual({
      id: "s1",
      platform: "teams",
      conversationId: "a:1",
      target: { type: "case", id: "SR-B-1" },
      createdById: "p2",
      disabledReason: "",
    });
    expect((await subscriptions.listForTargets("request", ["SR-B-1"])).map((item) => item.id)).toEqual(["s5"]);
    expect(await subscriptions.listForTargets("case", [])).toEqual([]);

    // `find` reads one by its key, stopped or not, as the client's findFirst does.
    const key = { platform: "slack" as const, conversationId: "C3", target: { type: "case" as const, id: "SR-B-1" } };
    expect(await subscriptions.find(key)).toMatchObject({ id: "s4", disabledReason: "gone" });
    expect(await subscriptions.find({ ...key, conversationId: "C9" })).toBeUndefined();
    // A stopped one added again is active again, and listed.
    expect(await subscriptions.add({ ...key, createdById: "p3" })).toBe(true);
    expect((await subscriptions.listForTargets("case", ["SR-B-1"])).map((item) => item.id)).toEqual(["s1", "s3", "s4"]);
  });
});
