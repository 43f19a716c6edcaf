import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createPeopleDirectory } from "../../src/db/repositories/people.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(DATABASE_KINDS)("people.resolve on $name", (kind) => {
  let db: TestDatabase;
  let database: Database;
  /** A directory of its own for each step: another process's, so no remembered person answers. */
  const fresh = () => createPeopleDirectory(database);
  const stored = (key: string) => database.prisma.identity.findUniqueOrThrow({ where: { key }, include: { person: true } });

  beforeAll(async () => {
    db = await kind.create();
    database = db.database;
  });
  afterAll(() => db.dispose());

  it("creates a new person with one identity, in the client's id scheme and time format", async () => {
    const before = new Date();
    const actor = await fresh().resolve({
      key: "slack:UNEW1",
      displayName: "Ana Diaz",
      workspaceId: "T01",
      email: "ana@example.mil",
      timeZone: "Europe/Berlin",
    });
    expect(actor).toEqual({
      id: expect.stringMatching(UUID_V7),
      displayName: "Ana Diaz",
      identityKeys: ["slack:UNEW1"],
      timeZone: "Europe/Berlin",
      identityKey: "slack:UNEW1",
      roles: [],
    });
    const row = await stored("slack:UNEW1");
    expect([row.platform, row.externalId, row.workspaceId, row.personId]).toEqual(["slack", "UNEW1", "T01", actor.id]);
    expect([row.person.email, row.person.timeZone]).toEqual(["ana@example.mil", "Europe/Berlin"]);
    // Written as the client writes instants: its own range filters find the rows.
    const since = new Date(before.getTime() - 1_000);
    expect(await database.prisma.person.count({ where: { id: actor.id, createdAt: { gte: since }, updatedAt: { gte: since } } })).toBe(1);
    expect(await database.prisma.identity.count({ where: { key: "slack:UNEW1", createdAt: { gte: since } } })).toBe(1);
  });

  it("names a person without a name by their user id, with no workspace, mail or zone", async () => {
    const actor = await fresh().resolve({ key: "teams:aad-0001" });
    expect([actor.displayName, actor.timeZone]).toEqual(["aad-0001", undefined]);
    const row = await stored("teams:aad-0001");
    expect([row.workspaceId, row.person.email, row.person.timeZone]).toEqual(["", null, null]);
  });

  it("reads a known identity with every identity of its person and every role", async () => {
    const person = await database.prisma.person.create({
      data: {
        displayName: "Dana Ruiz",
        identities: {
          create: [
            { key: "slack:UDANA", platform: "slack", externalId: "UDANA" },
            { key: "email:dana@example.mil", platform: "email", externalId: "dana@example.mil" },
          ],
        },
      },
    });
    for (const [role, scope] of [
      ["faculty", ""],
      ["case-viewer", "BN"],
      ["case-viewer", "TW"],
    ] as const) {
      await database.prisma.roleGrant.create({ data: { personId: person.id, role, scope } });
    }
    const actor = await fresh().resolve({ key: "slack:UDANA", displayName: "dana" });
    expect(actor).toEqual({
      id: person.id,
      displayName: "Dana Ruiz",
      identityKeys: ["email:dana@example.mil", "slack:UDANA"],
      identityKey: "slack:UDANA",
      roles: [{ role: "case-viewer", scope: "BN" }, { role: "case-viewer", scope: "TW" }, { role: "faculty" }],
    });
  });

  it("replaces only a placeholder name: the bare user id or an empty one, never a name given before", async () => {
    expect((await fresh().resolve({ key: "slack:UPLACE" })).displayName).toBe("UPLACE");
    expect((await fresh().resolve({ key: "slack:UPLACE", displayName: "Bo Chen" })).displayName).toBe("Bo Chen");
    expect((await fresh().resolve({ key: "slack:UPLACE", displayName: "bo.chen" })).displayName).toBe("Bo Chen");
    expect((await stored("slack:UPLACE")).person.displayName).toBe("Bo Chen");
    await fresh().resolve({ key: "slack:UEMPTY", displayName: "" });
    expect((await stored("slack:UEMPTY")).person.displayName).toBe("");
    expect((await fresh().resolve({ key: "slack:UEMPTY", displayName: "Cy Park" })).displayName).toBe("Cy Park");
  });

  it("writes a changed zone or workspace through and keeps the rest of the person", async () => {
    const first = await fresh().resolve({ key: "teams:aad-zone", displayName: "Eve Moss", workspaceId: "tenant-1", timeZone: "UTC" });
    const created = await stored("teams:aad-zone");
    const moved = await fresh().resolve({ key: "teams:aad-zone", displayName: "eve", workspaceId: "tenant-2", timeZone: "Asia/Tokyo" });
    expect(moved).toEqual({ ...first, timeZone: "Asia/Tokyo" });
    const row = await stored("teams:aad-zone");
    expect([row.workspaceId, row.person.displayName, row.person.timeZone]).toEqual(["tenant-2", "Eve Moss", "Asia/Tokyo"]);
    expect(row.person.updatedAt.getTime()).toBeGreaterThanOrEqual(created.person.updatedAt.getTime());
    // A zone not sent is not a zone removed.
    expect((await fresh().resolve({ key: "teams:aad-zone" })).timeZone).toBe("Asia/Tokyo");
  });

  it("gives first contacts at once one person: the losers store nothing and read the winner's", async () => {
    const contacts = 4;
    // Each contact's first statement (its read) answers only once every contact has read and
    // found nothing: the race, every time, whichever way the dialect stores a new person.
    let arrived = 0;
    let everyoneRead!: () => void;
    const race = new Promise<void>((resolve) => {
      everyoneRead = resolve;
    });
    const readsTogether = (): KyselyPlugin => {
      let first = true;
      return {
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          if (first) {
            first = false;
            if (++arrived === contacts) everyoneRead();
            await race;
          }
          return args.result;
        },
      };
    };
    const contact = () => createPeopleDirectory({ ...database, kysely: database.kysely.withPlugin(readsTogether()) });
    const actors = await Promise.all(
      Array.from({ length: contacts }, () => contact().resolve({ key: "slack:URACE", displayName: "Flo Tran" })),
    );
    expect(new Set(actors.map((actor) => actor.id)).size).toBe(1);
    expect(actors[0]).toMatchObject({ displayName: "Flo Tran", identityKeys: ["slack:URACE"], roles: [] });
    expect((await stored("slack:URACE")).personId).toBe(actors[0]!.id);
    expect(await database.prisma.person.count({ where: { displayName: "Flo Tran" } })).toBe(1);
  });
});
