import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chat/commands.js";
import { type ChatContext, handleCommand } from "../../src/chat/handle-command.js";
import { fixedClock } from "../../src/core/clock.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { runCli } from "../helpers/cli.js";
import { actorWith, coreDeps, interactionDeps, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const CONTEXT: ChatContext = { platform: "slack", conversationId: "C1", isPersonal: false, prefix: "/ma " };

/** The text of a chat reply. */
const said = (reply: Awaited<ReturnType<typeof handleCommand>>) => (reply.kind === "message" ? JSON.stringify(reply.view) : "");

describe.each(DATABASE_KINDS)("purge, hold and release on $name", (kind) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let deps: ReturnType<typeof coreDeps>;
  let admin: Actor;
  let faculty: Actor;
  /** old: closed in 2019; held: closed in 2019, on hold; recent: closed now; open: still submitted. */
  const requests: Record<"old" | "held" | "recent" | "open", MaRequest> = {} as never;
  const chat = (actor: Actor, text: string) =>
    handleCommand(interactionDeps(deps), { key: actor.identityKey }, parseCommand(text), CONTEXT);

  beforeAll(async () => {
    db = await kind.create();
    env = { DATABASE_URL: db.url };
    deps = coreDeps(db.database, fixedClock(TEST_NOW));
    const requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    faculty = await actorWith(deps, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
    admin = await actorWith(deps, "slack:UADM", "Alex Kim", [{ role: "admin" }]);
    for (const name of ["old", "held", "recent", "open"] as const) {
      const filed = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack" });
      if (!filed.ok) throw new Error("the form should be valid");
      requests[name] = filed.request;
      if (name === "open") continue;
      await moveRequest(deps, { actor: requester, requestId: filed.request.id, expectedVersion: 1, move: { kind: "withdraw" } });
    }
    // Closed long ago: what the retention period measures from.
    const longAgo = new Date("2019-05-01T12:00:00Z");
    await db.database.prisma.maRequest.updateMany({
      where: { id: { in: [requests.old.id, requests.held.id] } },
      data: { statusSince: longAgo },
    });
    await db.database.prisma.subscription.create({
      data: { platform: "slack", conversationId: "C1", targetType: "request", targetId: requests.old.id, createdById: faculty.id },
    });
    await db.database.prisma.outbox.create({
      data: { kind: "notice", subjectKey: `request:${requests.old.id}`, platform: "slack", conversationId: "C1", dedupeKey: "old-notice" },
    });
  });
  afterAll(() => db.dispose());

  it("puts a request on legal hold for admins only, audited", async () => {
    expect(said(await chat(faculty, `hold ${requests.held.number} litigation`))).toMatch(/Only admins/);
    expect(said(await chat(admin, `hold ${requests.held.number}`))).toMatch(/Say why it is held/);
    expect(said(await chat(admin, `hold ${requests.held.number} litigation hold per OGC`))).toMatch(
      new RegExp(`${requests.held.number} is on legal hold: it will not be purged`),
    );
    const row = await db.database.prisma.maRequest.findUniqueOrThrow({ where: { id: requests.held.id } });
    expect(row.holdReason).toBe("litigation hold per OGC");
    const history = await deps.requests.history(requests.held.id);
    expect(history.at(-1)).toMatchObject({ action: "hold", note: "litigation hold per OGC", actor: { id: admin.id } });
  });

  it("keeps everything when RETENTION_YEARS is unset", async () => {
    const result = await runCli(["purge"], env);
    expect([result.code, result.stdout.trim()]).toEqual([0, "RETENTION_YEARS is not set: every record is kept, nothing to purge."]);
    expect(await db.database.prisma.maRequest.count()).toBe(4);
  });

  it("lists what a dry run would purge with counts, names the held request exempt, and deletes nothing", async () => {
    const result = await runCli(["purge", "--dry-run"], { ...env, RETENTION_YEARS: "5" });
    expect(result.code).toBe(0);
    // The command line runs on the real clock: five years before today.
    expect(result.stdout).toMatch(/^Retention: 5 year\(s\); closed \(delivered, declined, withdrawn\) before \d{4}-\d\d-\d\d\./);
    expect(result.stdout).toContain(
      `${requests.old.number}  WITHDRAWN  closed 2019-05-01  would delete: 2 events, 1 outbox, 1 subscriptions, 0 mails, 0 triage cards, 1 case links`,
    );
    expect(result.stdout).toContain(`${requests.held.number}  WITHDRAWN  closed 2019-05-01  ON HOLD, exempt: litigation hold per OGC`);
    expect(result.stdout).not.toContain(requests.recent.number);
    expect(result.stdout).not.toContain(requests.open.number);
    expect(result.stdout).toMatch(/Dry run: 1 request\(s\) would be purged; 1 on hold exempt\. Nothing deleted\./);
    expect(await db.database.prisma.maRequest.count()).toBe(4);
  });

  it("purges the old request and all that names it, leaving one tombstone, and the chain still verifies", async () => {
    const result = await runCli(["purge"], { ...env, RETENTION_YEARS: "5" });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Purged 1 request\(s\), each leaving one audit event; 1 on hold exempt\./);
    const { prisma } = db.database;
    expect(await prisma.maRequest.findUnique({ where: { id: requests.old.id } })).toBeNull();
    expect(await prisma.auditEvent.count({ where: { requestId: requests.old.id } })).toBe(0);
    expect(await prisma.subscription.count({ where: { targetId: requests.old.id } })).toBe(0);
    expect(await prisma.outbox.count({ where: { subjectKey: `request:${requests.old.id}` } })).toBe(0);
    expect(await prisma.requestCaseLink.count({ where: { requestId: requests.old.id } })).toBe(0);
    expect((await prisma.maRequest.findMany({ orderBy: { number: "asc" } })).map((row) => row.number)).toEqual(
      [requests.held, requests.recent, requests.open].map((request) => request.number),
    );
    const tombstones = await prisma.workbenchEvent.findMany({ where: { action: "purge" } });
    expect(tombstones.map((row) => row.subject)).toEqual([requests.old.number]);
    expect(JSON.parse(tombstones[0]!.note)).toMatchObject({
      number: requests.old.number,
      closedAt: "2019-05-01T12:00:00.000Z",
      purgedBy: expect.stringMatching(/^command line/),
      removed: [{ seq: expect.any(Number) }, { seq: expect.any(Number) }],
    });
    const verified = await runCli(["verify-audit", "--database"], env);
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringMatching(/^intact: \d+ events/)]);
    const exported = await runCli(["export", "audit"], env);
    expect(exported.stdout).toContain(`"request":"${requests.old.number}","action":"purge"`);
    // The tombstone's kept links are chained too: editing one is found.
    const note = JSON.parse(tombstones[0]!.note);
    note.removed[0].hash = "f".repeat(64);
    await sql`UPDATE "WorkbenchEvent" SET "note" = ${JSON.stringify(note)} WHERE "id" = ${tombstones[0]!.id}`.execute(db.database.kysely);
    const broken = await runCli(["verify-audit", "--database"], env);
    expect([broken.code, broken.stderr]).toEqual([1, expect.stringMatching(/purge event .+ was changed|removed by purge/)]);
    await sql`UPDATE "WorkbenchEvent" SET "note" = ${tombstones[0]!.note} WHERE "id" = ${tombstones[0]!.id}`.execute(db.database.kysely);
  });

  it("purges a request once released, and the chain still verifies", async () => {
    expect(said(await chat(admin, `release ${requests.held.number}`))).toMatch(/is released from legal hold/);
    expect(said(await chat(admin, `release ${requests.held.number}`))).toMatch(/was not on legal hold/);
    const result = await runCli(["purge"], { ...env, RETENTION_YEARS: "5" });
    expect(result.stdout).toMatch(/Purged 1 request\(s\), each leaving one audit event; 0 on hold exempt\./);
    expect(await db.database.prisma.maRequest.count()).toBe(2);
    const verified = await runCli(["verify-audit", "--database"], env);
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringMatching(/^intact: /)]);
  });
});
