import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/model.js";
import { receiveRequest } from "../../src/core/requests/receive-request.js";
import { createMailStore } from "../../src/db/repositories/mail.js";
import type { MailRecord, MailStore } from "../../src/mail/store.js";
import { actorWith, coreDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const record = (messageId: string, outcome: string, requestId?: string, at = new Date()): MailRecord => ({
  messageId,
  direction: "in",
  requestId,
  fromAddress: "jane@army.example.mil",
  subject: "LOA help",
  outcome,
  reason: "",
  at,
});

describe.each(DATABASE_KINDS)("the mail store's statements on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let store: MailStore;
  let requester: Actor;

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database);
    store = createMailStore(db.database);
    requester = await actorWith(deps, "email:jane@army.example.mil", "Jane");
  });
  afterAll(() => db.dispose());

  const receive = (key: string, alongside?: Parameters<typeof receiveRequest>[1]["alongside"]) =>
    receiveRequest(deps, {
      actor: requester,
      raw: validForm(),
      title: "LOA help",
      attachments: [],
      platform: "email",
      idempotencyKey: key,
      alongside,
    });

  it("gives the lease to one holder at a time, to another once it expired, and frees it only for its holder", async () => {
    const now = new Date("2030-01-07T14:00:00Z");
    const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    expect(await store.acquireLease("reader", "a", now, later(10))).toBe(true);
    expect(await store.acquireLease("reader", "b", later(1), later(11))).toBe(false);
    expect(await store.acquireLease("reader", "a", later(1), later(11))).toBe(true);
    await store.releaseLease("reader", "b");
    expect(await store.acquireLease("reader", "b", later(5), later(15))).toBe(false);
    expect(await store.acquireLease("reader", "b", later(12), later(22))).toBe(true);
    await store.releaseLease("reader", "b");
    expect(await store.acquireLease("reader", "a", later(13), later(23))).toBe(true);
  });

  it("knows a message by its record or by the key its change was claimed under", async () => {
    expect(await store.isHandled("<new@x>", "mail:<new@x>")).toBe(false);
    await store.record(record("<seen@x>", "ignored"));
    await store.record(record("<seen@x>", "request"));
    expect(await store.isHandled("<seen@x>", "mail:<seen@x>")).toBe(true);
    await db.database.prisma.idempotencyKey.create({ data: { key: "mail:<claimed@x>", resultId: "r", createdAt: new Date() } });
    expect(await store.isHandled("<claimed@x>", "mail:<claimed@x>")).toBe(true);
    // A second record of the same id changed nothing.
    expect(await db.database.prisma.mailMessage.findUniqueOrThrow({ where: { messageId: "<seen@x>" } })).toMatchObject({
      outcome: "ignored",
    });
  });

  it("records a new request's mail in the request's transaction: kept with it, gone with it, not again for a seen key", async () => {
    let calls = 0;
    const { request } = await receive("mail:<first@x>", async (stored) => {
      calls++;
      await store.record(record("<first@x>", "request", stored.id));
    });
    expect(await store.requestOfMessages(["<unknown@x>", "<first@x>"])).toBe(request.id);
    const again = await receive("mail:<first@x>", async () => {
      calls++;
    });
    expect(again).toMatchObject({ created: false, request: { id: request.id } });
    expect(calls).toBe(1);

    const before = await db.database.prisma.maRequest.count();
    await expect(
      receive("mail:<second@x>", async (stored) => {
        await store.record(record("<second@x>", "request", stored.id));
        throw new Error("the process died before commit");
      }),
      // The repository answers any fault in words of its own; what matters is what was kept.
    ).rejects.toThrow();
    expect(await db.database.prisma.maRequest.count()).toBe(before);
    expect(await store.isHandled("<second@x>", "mail:<second@x>")).toBe(false);
  });

  it("lists a request's thread oldest first without held, ignored or bounced mail; counts a held mail on any request", async () => {
    const { request } = await receive("mail:<thread@x>");
    const at = (minute: number) => new Date(Date.UTC(2030, 0, 7, 14, minute));
    await store.record(record("<t2@x>", "note", request.id, at(2)));
    await store.record(record("<t1@x>", "request", request.id, at(1)));
    await store.record(record("<t3@x>", "held", request.id, at(3)));
    await store.record(record("<t4@x>", "bounce", request.id, at(4)));
    expect((await store.threadOf(request.id)).map((row) => row.messageId)).toEqual(["<t1@x>", "<t2@x>"]);

    await store.holdOnRequest(request.id, at(5));
    expect(await db.database.prisma.requestIntake.findUniqueOrThrow({ where: { requestId: request.id } })).toMatchObject({
      heldMail: 1,
      title: "LOA help",
      updatedAt: at(5),
    });
    // A request that came without an intake (from chat) gets one for its held mail.
    await db.database.prisma.requestIntake.delete({ where: { requestId: request.id } });
    await store.holdOnRequest(request.id, at(6));
    await store.holdOnRequest(request.id, at(7));
    expect(await db.database.prisma.requestIntake.findUniqueOrThrow({ where: { requestId: request.id } })).toMatchObject({
      heldMail: 2,
      updatedAt: at(7),
    });
  });

  it("marks a bounced mail's owed row failed and unclaimed, and says nothing of a row it does not know", async () => {
    expect(await store.markBounced("no-such-row", "550 User unknown")).toBeUndefined();
    const row = await db.database.prisma.outbox.create({
      data: {
        kind: "notice",
        subjectKey: "request:r1",
        platform: "email",
        conversationId: "@email:jane@army.example.mil",
        dedupeKey: "bounce-test",
        status: "SENT",
        claimedBy: "worker",
        claimedUntil: new Date(),
      },
    });
    expect(await store.markBounced(row.id, "550 User unknown")).toEqual({ subjectKey: "request:r1" });
    expect(await db.database.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "FAILED",
      lastError: "bounced: 550 User unknown",
      claimedBy: null,
      claimedUntil: null,
    });
  });
});
