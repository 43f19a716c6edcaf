import { afterEach, describe, expect, it } from "vitest";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { REQUEST_INCLUDE, toRequest } from "../../src/db/repositories/request-rows.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("requests read by Kysely statements ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("are the requests Prisma's client reads: people, identities, lead, followers, cases, intake, duplicate, flags, instants", async () => {
    db = await kind.create();
    const { prisma } = db.database;
    const person = (id: string, keys: string[], timeZone: string | null = null) =>
      prisma.person.create({
        data: {
          id,
          displayName: `Person ${id}`,
          timeZone,
          identities: { create: keys.map((key) => ({ key, platform: key.split(":")[0]!, externalId: key.split(":")[1]! })) },
        },
      });
    await person("p-requester", ["slack:UREQ", "teams:aad-req"], "Europe/Berlin");
    await person("p-lead", ["slack:ULEAD"]);
    await person("p-follower", ["slack:UFOL"]);
    await person("p-quiet", []);
    await prisma.case.create({ data: { id: "BN-B-AAA", title: "", partner: "", programOffice: "", status: "ACTIVE", type: "FMS" } });
    const request = (id: string, seq: number, extra: object = {}) =>
      prisma.maRequest.create({
        data: {
          id,
          number: `MA-2026-${seq}`,
          year: 2026,
          seq,
          status: "SUBMITTED",
          requesterId: "p-requester",
          organization: "Org",
          component: "ARMY",
          program: "Program",
          effortTypes: "FMS,BPC",
          supportType: "ADVISORY",
          lifecyclePhase: "LOR",
          problemStatement: "Problem",
          audienceSize: 12,
          preferredStart: "2027-04-06",
          preferredEnd: "2027-04-08",
          deliveryMode: "VIRTUAL",
          pocName: "Poc",
          pocEmail: "poc@example.mil",
          createdAt: new Date(Date.UTC(2026, 11, 1, 9, seq)),
          ...extra,
        },
      });
    await request("r-plain", 1, { requesterId: "p-quiet" });
    await request("r-full", 2, {
      leadId: "p-lead",
      travelFunded: true,
      eligibilityCheck: true,
      duplicateOfId: "r-plain",
      statusSince: new Date(Date.UTC(2026, 11, 1, 10, 30, 15, 250)),
      scheduledStart: "2027-04-06",
      question: "When?",
      cases: { create: [{ caseId: "BN-B-ZZZ" }, { caseId: "BN-B-AAA" }] },
      intake: {
        create: { title: "By mail", missingFields: "program,audienceSize", attachments: '[{"name":"a.pdf","size":3}]', heldMail: 2 },
      },
    });
    await prisma.requestFollower.create({
      data: { requestId: "r-full", personId: "p-follower", createdAt: new Date(Date.UTC(2026, 11, 2)) },
    });
    await prisma.requestFollower.create({ data: { requestId: "r-full", personId: "p-lead", createdAt: new Date(Date.UTC(2026, 11, 3)) } });

    const { requests } = createPrismaRepositories(db.database);
    const byClient = (await prisma.maRequest.findMany({ include: REQUEST_INCLUDE, orderBy: { createdAt: "asc" } })).map(toRequest);
    expect(byClient.map((found) => found.id)).toEqual(["r-plain", "r-full"]);
    expect(await requests.findByIds(["r-full", "r-plain", "r-missing", "r-full"])).toEqual(byClient);
    expect(await requests.findById("r-full")).toEqual(byClient[1]);
    expect(await requests.findById("r-missing")).toBeUndefined();
    expect(await requests.findByIds([])).toEqual([]);
  });

  it("reads more requests than one statement's list holds", async () => {
    db = await kind.create();
    const { prisma } = db.database;
    await prisma.person.create({ data: { id: "p", displayName: "P" } });
    const ids = Array.from({ length: 300 }, (_, index) => `r-${String(index).padStart(3, "0")}`);
    await prisma.maRequest.createMany({
      data: ids.map((id, index) => ({
        id,
        number: `MA-2026-${index + 1}`,
        year: 2026,
        seq: index + 1,
        status: "SUBMITTED",
        requesterId: "p",
        organization: "Org",
        component: "ARMY",
        program: "Program",
        effortTypes: "FMS",
        supportType: "ADVISORY",
        lifecyclePhase: "LOR",
        problemStatement: "Problem",
        audienceSize: 1,
        preferredStart: "2027-04-06",
        preferredEnd: "2027-04-08",
        deliveryMode: "VIRTUAL",
        pocName: "Poc",
        pocEmail: "poc@example.mil",
        createdAt: new Date(Date.UTC(2026, 11, 1, 0, 0, index)),
      })),
    });
    const found = await createPrismaRepositories(db.database).requests.findByIds([...ids].reverse());
    expect(found.map((request) => request.id)).toEqual(ids);
  });
});
