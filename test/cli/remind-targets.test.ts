import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";

const database = END_TO_END_DATABASE;

describe("mission-assist remind names where each reminder goes", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await database.create();
    const { prisma } = db.database;
    await prisma.case.create({ data: { id: "GY-D-QQR", title: "ATC radar", status: "OFFERED", type: "FMS", category: "C" } });
    await prisma.milestone.create({ data: { caseId: "GY-D-QQR", type: "OED", dueDate: "2026-06-15" } });
    const dana = await prisma.person.create({
      data: {
        displayName: "Dana Faculty",
        roles: { create: { role: "faculty", scope: "" } },
        identities: { create: { key: "teams:aad-dana", platform: "teams", externalId: "aad-dana" } },
      },
    });
    await prisma.conversationRef.createMany({
      data: [
        { platform: "teams", conversationId: "a:1dana", kind: "personal", identityKey: "teams:aad-dana" },
        {
          platform: "teams",
          conversationId: "19:triage@thread.tacv2",
          kind: "channel",
          reference: JSON.stringify({ conversation: { id: "19:triage@thread.tacv2", name: "Faculty triage" } }),
        },
      ],
    });
    await prisma.subscription.createMany({
      data: ["a:1dana", "19:triage@thread.tacv2"].map((conversationId) => ({
        platform: "teams",
        conversationId,
        targetType: "case",
        targetId: "GY-D-QQR",
        createdById: dana.id,
      })),
    });
  });
  afterAll(async () => {
    await db.dispose();
  });

  it("names the person of a 1:1 chat and the channel's name instead of raw ids", async () => {
    const result = await runCli(["remind", "--once", "--now", "2026-06-08T14:00:00Z", "--dry-run"], {
      DATABASE_URL: db.url,
      TEAMS_LOCAL: "1",
    });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout).toContain("(7 day(s) before) → the teams 1:1 chat with Dana Faculty (teams:aad-dana)");
    expect(result.stdout).toContain('(7 day(s) before) → teams channel "Faculty triage" (19:triage@thread.tacv2)');
    expect(result.stdout).not.toMatch(/teams channel a:1dana/);
  });
});
