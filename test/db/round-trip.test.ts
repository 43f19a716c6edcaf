import type { Insertable } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { newRowId } from "../../src/db/ids.js";
import type { DB } from "../../src/db/kysely.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

/** One row of a model: its values for either path, and a Prisma filter that must find exactly it. */
type Spec = {
  [Table in keyof DB]: { table: Table; values: (tag: string) => Insertable<DB[Table]>; where: (tag: string) => object };
}[keyof DB];

describe.each(DATABASE_KINDS)("a row of every model, written by Prisma's client or by Kysely ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("reads back the same through the client's filters: instants (same-day gte), booleans, statuses, JSON", async () => {
    db = await kind.create();
    const { prisma, kysely } = db.database;
    const at = new Date();
    const midnight = new Date(at);
    midnight.setUTCHours(0, 0, 0, 0);
    // Same-day from midnight: the range a stored `YYYY-MM-DD HH:MM:SS` fell out of on SQLite.
    const today = { gte: midnight, lte: at };
    const json = JSON.stringify({ serviceUrl: "https://smba.example/", ids: [1, 2], quote: `"'` });
    const ids = new Map<string, string>();
    const id = (name: string) => {
      if (!ids.has(name)) ids.set(name, newRowId());
      return ids.get(name)!;
    };
    const specs: Spec[] = [
      {
        table: "Person",
        values: (tag) => ({
          id: id(`${tag}:person`),
          displayName: tag,
          email: null,
          timeZone: "America/New_York",
          contactCheckedAt: at,
          createdAt: at,
          updatedAt: at,
        }),
        where: (tag) => ({ displayName: tag, timeZone: "America/New_York", contactCheckedAt: today, createdAt: today, updatedAt: today }),
      },
      {
        table: "Identity",
        values: (tag) => ({
          key: `slack:${tag}`,
          platform: "slack",
          externalId: tag,
          workspaceId: "T1",
          personId: id(`${tag}:person`),
          createdAt: at,
        }),
        where: (tag) => ({ key: `slack:${tag}`, platform: "slack", createdAt: today }),
      },
      {
        table: "RoleGrant",
        values: (tag) => ({
          id: id(`${tag}:grant`),
          personId: id(`${tag}:person`),
          role: "faculty",
          scope: "",
          grantedBy: "",
          createdAt: at,
        }),
        where: (tag) => ({ personId: id(`${tag}:person`), role: "faculty", createdAt: today }),
      },
      {
        table: "RequestCounter",
        values: (tag) => ({ year: tag === "client" ? 2031 : 2032, last: 7 }),
        where: (tag) => ({ year: tag === "client" ? 2031 : 2032, last: { gte: 7 } }),
      },
      {
        table: "MaRequest",
        values: (tag) => ({
          id: id(`${tag}:request`),
          number: `MA-2026-${tag}`,
          year: 2026,
          seq: tag === "client" ? 1 : 2,
          status: "NEEDS_INFO",
          version: 3,
          requesterId: id(`${tag}:person`),
          organization: "PEO Ships",
          component: "NAVY",
          program: "",
          effortTypes: "FMS,BPC",
          supportType: "ADVISORY",
          lifecyclePhase: "LOR",
          problemStatement: "p",
          desiredOutcome: "",
          audienceSize: 7,
          preferredStart: "2027-01-04",
          preferredEnd: "2027-01-05",
          deliveryMode: "VIRTUAL",
          location: "",
          travelFunded: true,
          pocName: "Pat",
          pocEmail: "pat@navy.mil",
          eligibilityCheck: false,
          leadId: null,
          scheduledStart: null,
          scheduledEnd: null,
          declineReason: null,
          question: "When?",
          sourcePlatform: "slack",
          statusSince: at,
          stageCreditDays: 2,
          duplicateOfId: null,
          createdAt: at,
          updatedAt: at,
        }),
        where: (tag) => ({
          number: `MA-2026-${tag}`,
          stageCreditDays: { gte: 2 },
          duplicateOfId: null,
          status: { in: ["NEEDS_INFO"] },
          travelFunded: true,
          eligibilityCheck: false,
          leadId: null,
          statusSince: today,
          createdAt: today,
          updatedAt: today,
        }),
      },
      {
        table: "AuditEvent",
        values: (tag) => ({
          id: id(`${tag}:event`),
          requestId: id(`${tag}:request`),
          actorId: id(`${tag}:person`),
          action: "ask",
          fromStatus: "SUBMITTED",
          toStatus: "NEEDS_INFO",
          note: "",
          at,
        }),
        where: (tag) => ({ requestId: id(`${tag}:request`), fromStatus: "SUBMITTED", toStatus: "NEEDS_INFO", at: today }),
      },
      {
        table: "RequestCaseLink",
        values: (tag) => ({ requestId: id(`${tag}:request`), caseId: `BN-D-${tag}` }),
        where: (tag) => ({ requestId: id(`${tag}:request`), caseId: `BN-D-${tag}` }),
      },
      {
        table: "TriageCard",
        values: (tag) => ({
          requestId: id(`${tag}:request`),
          platform: "teams",
          conversationId: "19:c",
          messageId: tag,
          drawnVersion: 3,
          updatedAt: at,
        }),
        where: (tag) => ({ requestId: id(`${tag}:request`), drawnVersion: 3, updatedAt: today }),
      },
      {
        table: "RequesterCard",
        values: (tag) => ({
          requestId: id(`${tag}:request`),
          platform: "slack",
          conversationId: "D0REQ",
          messageId: tag,
          drawnVersion: 2,
          updatedAt: at,
        }),
        where: (tag) => ({ requestId: id(`${tag}:request`), drawnVersion: 2, updatedAt: today }),
      },
      {
        table: "Case",
        values: (tag) => ({
          id: `BN-D-${tag}`,
          title: "t",
          partner: "Bandaria",
          programOffice: "",
          status: "IMPLEMENTED",
          type: "FMS",
          category: "",
          masked: true,
          createdAt: at,
          updatedAt: at,
        }),
        where: (tag) => ({ id: `BN-D-${tag}`, status: "IMPLEMENTED", masked: true, createdAt: today, updatedAt: today }),
      },
      {
        table: "Milestone",
        values: (tag) => ({
          id: id(`${tag}:milestone`),
          caseId: `BN-D-${tag}`,
          type: "LOR_RECEIVED",
          dueDate: "2027-01-04",
          completedDate: null,
          note: "",
          updatedAt: at,
        }),
        where: (tag) => ({ caseId: `BN-D-${tag}`, type: "LOR_RECEIVED", completedDate: null, updatedAt: today }),
      },
      {
        table: "Subscription",
        values: (tag) => ({
          id: id(`${tag}:subscription`),
          platform: "slack",
          conversationId: "C1",
          targetType: "case",
          targetId: `BN-D-${tag}`,
          createdById: id(`${tag}:person`),
          disabledReason: "",
          createdAt: at,
        }),
        where: (tag) => ({ targetType: "case", targetId: `BN-D-${tag}`, disabledReason: "", createdAt: today }),
      },
      {
        table: "ConversationRef",
        values: (tag) => ({
          id: id(`${tag}:conversation`),
          platform: "teams",
          conversationId: `a:${tag}`,
          kind: "personal",
          identityKey: null,
          reference: json,
          dead: false,
          updatedAt: at,
        }),
        where: (tag) => ({ conversationId: `a:${tag}`, reference: json, dead: false, identityKey: null, updatedAt: today }),
      },
      {
        table: "Outbox",
        values: (tag) => ({
          id: id(`${tag}:outbox`),
          kind: "notice",
          subjectKey: `request:${tag}`,
          dueDate: "",
          offsetDays: 0,
          version: 3,
          platform: "slack",
          conversationId: "@slack:U1",
          body: json,
          dedupeKey: `notice:${tag}`,
          status: "PENDING",
          attempts: 0,
          nextAttemptAt: at,
          claimedBy: null,
          claimedUntil: null,
          sentAt: null,
          lastError: "",
          snoozes: 0,
          createdAt: at,
        }),
        where: (tag) => ({
          dedupeKey: `notice:${tag}`,
          status: "PENDING",
          body: json,
          claimedUntil: null,
          nextAttemptAt: today,
          createdAt: today,
        }),
      },
      {
        table: "IdempotencyKey",
        values: (tag) => ({ key: `key:${tag}`, resultId: "r", createdAt: at }),
        where: (tag) => ({ key: `key:${tag}`, createdAt: today }),
      },
      {
        table: "Setting",
        values: (tag) => ({ key: `setting:${tag}`, value: json, updatedAt: at }),
        where: (tag) => ({ key: `setting:${tag}`, value: json, updatedAt: today }),
      },
      {
        table: "MailMessage",
        values: (tag) => ({
          id: id(`${tag}:mail`),
          messageId: `<${tag}@mail.example>`,
          direction: "in",
          requestId: id(`${tag}:request`),
          outboxId: null,
          fromAddress: "jane.smith@army.example.mil",
          subject: `"quoted" 'subject'`,
          outcome: "request",
          reason: "",
          createdAt: at,
        }),
        where: (tag) => ({ messageId: `<${tag}@mail.example>`, outboxId: null, createdAt: today }),
      },
      {
        table: "RequestIntake",
        values: (tag) => ({
          requestId: id(`${tag}:request`),
          title: "LOA pricing workshop",
          missingFields: "preferredStart,preferredEnd",
          attachments: json,
          heldMail: 2,
          updatedAt: at,
        }),
        where: (tag) => ({ requestId: id(`${tag}:request`), attachments: json, heldMail: { gte: 2 }, updatedAt: today }),
      },
      {
        table: "RequestFollower",
        values: (tag) => ({
          id: id(`${tag}:follower`),
          requestId: id(`${tag}:request`),
          personId: id(`${tag}:person`),
          createdAt: at,
        }),
        where: (tag) => ({ requestId: id(`${tag}:request`), personId: id(`${tag}:person`), createdAt: today }),
      },
      {
        table: "ReplyTemplate",
        values: (tag) => ({
          id: id(`${tag}:template`),
          name: `LOR-${tag}`,
          nameKey: `lor-${tag}`,
          text: `Please send the LOR for {id} "quoted"`,
          createdById: id(`${tag}:person`),
          createdAt: at,
        }),
        where: (tag) => ({ nameKey: `lor-${tag}`, createdAt: today }),
      },
      {
        table: "AwayPeriod",
        values: (tag) => ({
          id: id(`${tag}:away`),
          personId: id(`${tag}:person`),
          fromDay: "2027-01-04",
          toDay: "2027-01-08",
          note: "TDY",
          backupId: null,
          createdAt: at,
        }),
        where: (tag) => ({ personId: id(`${tag}:person`), toDay: { gte: "2027-01-08" }, backupId: null, createdAt: today }),
      },
      {
        table: "Skill",
        values: (tag) => ({ personId: id(`${tag}:person`), tag: "loa" }),
        where: (tag) => ({ personId: id(`${tag}:person`), tag: "loa" }),
      },
      {
        table: "WorkbenchEvent",
        values: (tag) => ({ id: id(`${tag}:event`), actorId: id(`${tag}:person`), action: "skills", subject: tag, note: "", at }),
        where: (tag) => ({ subject: tag, action: "skills", at: today }),
      },
      {
        table: "AuditChain",
        values: (tag) => ({ id: `chain:${tag}`, seq: 3, hash: `${tag}-hash` }),
        where: (tag) => ({ id: `chain:${tag}`, hash: `${tag}-hash` }),
      },
      {
        table: "Survey",
        values: (tag) => ({
          id: id(`${tag}:survey`),
          requestId: id(`${tag}:request`),
          sentAt: at,
          expiresOn: "2027-01-22",
          rating: 4,
          comment: `"'`,
          answeredById: id(`${tag}:person`),
          answeredAt: at,
        }),
        where: (tag) => ({
          requestId: id(`${tag}:request`),
          sentAt: today,
          answeredAt: today,
          rating: { gte: 4 },
          expiresOn: "2027-01-22",
        }),
      },
      {
        table: "Lease",
        values: (tag) => ({ name: `mailbox:${tag}`, holder: tag, until: at }),
        where: (tag) => ({ name: `mailbox:${tag}`, until: today }),
      },
    ];
    // Every model of the schema is here: a new model must be added to this test.
    expect(specs.map((spec) => spec.table).sort()).toEqual(modelNames(prisma));

    type Delegate = { create(args: { data: object }): Promise<unknown>; findMany(args: { where: object }): Promise<object[]> };
    const delegate = (table: string) => (prisma as unknown as Record<string, Delegate>)[table.charAt(0).toLowerCase() + table.slice(1)]!;
    for (const spec of specs) {
      await delegate(spec.table).create({ data: spec.values("client") });
      await kysely
        .insertInto(spec.table)
        .values(spec.values("kysely") as never)
        .execute();
    }
    for (const spec of specs) {
      const [fromClient, fromKysely] = await Promise.all(
        ["client", "kysely"].map((tag) => delegate(spec.table).findMany({ where: spec.where(tag) })),
      );
      expect({ table: spec.table, client: fromClient?.length, kysely: fromKysely?.length }).toEqual({
        table: spec.table,
        client: 1,
        kysely: 1,
      });
      // Read back alike, but for what names its path.
      const neutral = (row: object, tag: string) =>
        JSON.parse(
          JSON.stringify(row)
            .replaceAll(tag, "TAG")
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, "ID"),
        );
      const { year: _a, seq: _b, ...client } = neutral(fromClient![0]!, "client");
      const { year: _c, seq: _d, ...viaKysely } = neutral(fromKysely![0]!, "kysely");
      expect(viaKysely).toEqual(client);
    }
    // The client's own defaults (now(), uuid(7)) are found by the same filters.
    const defaulted = await prisma.person.create({ data: { displayName: "defaults" } });
    expect(defaulted.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(await prisma.person.count({ where: { id: defaulted.id, createdAt: { gte: midnight } } })).toBe(1);
  });
});

/** The models Prisma's client has, by their table names. */
function modelNames(prisma: object): string[] {
  const runtime = (prisma as { _runtimeDataModel?: { models: Record<string, unknown> } })._runtimeDataModel;
  return Object.keys(runtime?.models ?? {}).sort();
}
