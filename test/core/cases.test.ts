import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupCase } from "../../src/core/cases/lookup-case.js";
import { computeSammDates } from "../../src/core/cases/samm-dates.js";
import { upcoming } from "../../src/core/cases/upcoming.js";
import type { Actor, CaseRecord } from "../../src/core/model.js";
import { canSeeCase, visibleCasePrefixes } from "../../src/core/permissions.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { importCases, importMilestones, unknownCaseErrors } from "../../src/db/repositories/case-import.js";
import { toCaseRecord, toMilestone } from "../../src/db/repositories/cases.js";
import { actorWith, coreDeps, refusal, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const CASES: CaseRecord[] = [
  {
    id: "BN-D-YAB",
    title: "ATC radar",
    partner: "Bandaria",
    programOffice: "AFLCMC",
    status: "OFFERED",
    type: "FMS",
    category: "C",
    masked: false,
  },
  {
    id: "BN-B-SAA",
    title: "Vehicles",
    partner: "Bandaria",
    programOffice: "PM LTV",
    status: "IMPLEMENTED",
    type: "FMS",
    category: "B",
    masked: false,
  },
  {
    id: "GY-P-AAB",
    title: "Frigate support",
    partner: "Germany",
    programOffice: "NIPO",
    status: "IMPLEMENTED",
    type: "FMS",
    category: "A",
    masked: false,
  },
  { id: "XX-D-AAA", title: "", partner: "", programOffice: "", status: "PRE_OFFER", type: "FMS", category: "", masked: true },
  {
    id: "BN-B-ZZZ",
    title: "Closed case",
    partner: "Bandaria",
    programOffice: "PM",
    status: "CLOSED",
    type: "FMS",
    category: "A",
    masked: false,
  },
];

const MILESTONES = [
  { caseId: "BN-D-YAB", type: "LOR_ACTIONABLE" as const, dueDate: "2025-10-01", completedDate: "2025-10-01", note: "" },
  { caseId: "BN-D-YAB", type: "MILAP" as const, dueDate: "2026-01-10", completedDate: "2026-01-12", note: "" },
  { caseId: "BN-D-YAB", type: "CASE_REVIEW" as const, dueDate: "2026-03-09", note: "annual review" },
  { caseId: "BN-D-YAB", type: "PAYMENT_DUE" as const, dueDate: "2026-03-04", note: "" },
  { caseId: "BN-B-SAA", type: "SSC" as const, dueDate: "2026-03-05", note: "" },
  { caseId: "GY-P-AAB", type: "OED" as const, dueDate: "2026-03-06", note: "" },
  { caseId: "XX-D-AAA", type: "OED" as const, dueDate: "2026-03-07", note: "" },
  { caseId: "BN-B-ZZZ", type: "CASE_REVIEW" as const, dueDate: "2026-03-05", note: "" },
];

describe.each(DATABASE_KINDS)("cases and permissions on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let requester: Actor;
  let viewerBN: Actor;
  let viewerBND: Actor;
  let faculty: Actor;

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database);
    await importCases(db.database, CASES, false);
    const lined = MILESTONES.map((item, index) => ({ ...item, line: index + 2 }));
    expect(await unknownCaseErrors(db.database, lined)).toEqual([]);
    await importMilestones(db.database, lined, false);
    requester = await actorWith(deps, "slack:UREQ", "Requester");
    viewerBN = await actorWith(deps, "slack:UVBN", "Viewer BN", [{ role: "case-viewer", scope: "BN" }]);
    viewerBND = await actorWith(deps, "slack:UVBND", "Viewer BN-D", [{ role: "case-viewer", scope: "BN-D" }]);
    faculty = await actorWith(deps, "slack:UFAC", "Faculty", [{ role: "faculty" }]);
  });
  afterAll(() => db.dispose());

  it("shows a case to faculty with milestones next-due first, SAMM dates and a CUI marking", async () => {
    const detail = await lookupCase(deps, faculty, "bn d yab");
    expect(detail.marking).toBe("CUI");
    expect(detail.caseRecord.id).toBe("BN-D-YAB");
    expect(detail.milestones.map((item) => item.type)).toEqual(["PAYMENT_DUE", "CASE_REVIEW", "LOR_ACTIONABLE", "MILAP"]);
    expect(detail.computed).toEqual([
      { label: "Standard LOA offer date", date: "2026-02-28", basis: "Category C: 150 days from LOR actionable" },
      { label: "Standard OED", date: "2026-04-07", basis: "FMS: MILAP + 85 days" },
    ]);
  });

  it("reads a case and its milestones as the client stores them (one statement; a completion's time and who; none)", async () => {
    const { prisma } = db.database;
    const completedAt = new Date("2026-03-02T14:05:06.789Z");
    const review = await prisma.milestone.findUniqueOrThrow({ where: { caseId_type: { caseId: "BN-D-YAB", type: "CASE_REVIEW" } } });
    await deps.cases.updateMilestone(review.id, { completedDate: "2026-03-02", completedAt, completedById: "person-1" });
    await prisma.case.create({ data: { id: "GY-P-ZZZ", status: "OFFERED", masked: true } });
    try {
      for (const id of ["BN-D-YAB", "XX-D-AAA", "GY-P-ZZZ"]) {
        const row = await prisma.case.findUniqueOrThrow({ where: { id }, include: { milestones: { orderBy: { id: "asc" } } } });
        expect(await deps.cases.find(id)).toEqual({ ...toCaseRecord(row), milestones: row.milestones.map(toMilestone) });
      }
      const found = await deps.cases.find("BN-D-YAB");
      expect(found?.milestones.find((item) => item.type === "CASE_REVIEW")).toMatchObject({ completedAt, completedById: "person-1" });
      expect((await deps.cases.find("GY-P-ZZZ"))?.milestones).toEqual([]);
      expect(await deps.cases.find("GY-P-QQQ")).toBeUndefined();
    } finally {
      await deps.cases.updateMilestone(review.id, { completedDate: null, completedAt: null, completedById: null });
      await prisma.case.delete({ where: { id: "GY-P-ZZZ" } });
    }
  });

  it("lets case-viewers see cases inside their scope only", async () => {
    expect((await lookupCase(deps, viewerBN, "BN-B-SAA")).caseRecord.id).toBe("BN-B-SAA");
    expect((await lookupCase(deps, viewerBND, "BN-D-YAB")).caseRecord.id).toBe("BN-D-YAB");
    expect((await refusal(lookupCase(deps, viewerBND, "BN-B-SAA"))).code).toBe("NOT_FOUND");
    expect((await refusal(lookupCase(deps, viewerBN, "GY-P-AAB"))).code).toBe("NOT_FOUND");
  });

  it("answers 'not found or not permitted' the same way for both", async () => {
    const forbidden = await refusal(lookupCase(deps, requester, "BN-B-SAA"));
    const missing = await refusal(lookupCase(deps, faculty, "BN-B-QQQ"));
    expect(forbidden.code).toBe(missing.code);
    expect(forbidden.message.replace("BN-B-SAA", "X")).toBe(missing.message.replace("BN-B-QQQ", "X"));
  });

  it("keeps masked XX cases to faculty and admin, even for a broad case-viewer scope", async () => {
    const wide = await actorWith(deps, "slack:UXX", "XX viewer", [{ role: "case-viewer", scope: "XX" }]);
    expect(canSeeCase(wide, "XX-D-AAA")).toBe(false);
    expect((await refusal(lookupCase(deps, wide, "XX-D-AAA"))).code).toBe("NOT_FOUND");
    const detail = await lookupCase(deps, faculty, "XX-D-AAA");
    expect([detail.caseRecord.masked, detail.caseRecord.title, detail.computed]).toEqual([true, "", []]);
  });

  it("grants nothing for linking a case on a request", async () => {
    const result = await submitRequest(deps, { actor: requester, raw: validForm({ relatedCases: ["BN-D-YAB"] }), platform: "slack" });
    expect(result.ok).toBe(true);
    expect((await refusal(lookupCase(deps, requester, "BN-D-YAB"))).code).toBe("NOT_FOUND");
    const linked = (await lookupCase(deps, viewerBND, "BN-D-YAB")).linkedRequests;
    expect(linked).toEqual([]);
    expect((await lookupCase(deps, faculty, "BN-D-YAB")).linkedRequests.map((request) => request.form.relatedCases)).toEqual([
      ["BN-D-YAB"],
    ]);
  });

  it("names the wrong part of a malformed case id", async () => {
    const error = await refusal(lookupCase(deps, faculty, "BN-X-SAA"));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/unknown implementing agency "X"/);
  });

  it("lists upcoming milestones filtered by what the asker may see", async () => {
    const all = await upcoming(deps, faculty, 7);
    expect(all.map((item) => (item.kind === "milestone" ? `${item.caseRecord.id} ${item.milestone.type} ${item.daysLeft}` : ""))).toEqual([
      "BN-D-YAB PAYMENT_DUE 2",
      "BN-B-SAA SSC 3",
      "GY-P-AAB OED 4",
      "XX-D-AAA OED 5",
      "BN-D-YAB CASE_REVIEW 7",
    ]);
    const scoped = await upcoming(deps, viewerBND, 7);
    expect(scoped.map((item) => (item.kind === "milestone" ? item.caseRecord.id : ""))).toEqual(["BN-D-YAB", "BN-D-YAB"]);
    expect(await upcoming(deps, requester, 7)).toEqual([]);
    expect((await refusal(upcoming(deps, faculty, 0))).code).toBe("INVALID_INPUT");
  });

  it("computes prefixes for queries from roles", () => {
    expect(visibleCasePrefixes(faculty)).toBeUndefined();
    expect(visibleCasePrefixes(viewerBN)).toEqual(["BN-"]);
    expect(visibleCasePrefixes(requester)).toEqual([]);
  });
});

describe("computeSammDates", () => {
  const base: CaseRecord = {
    id: "BN-B-ZAD",
    title: "",
    partner: "",
    programOffice: "",
    status: "IMPLEMENTED",
    type: "BPC",
    category: "D",
    masked: false,
  };
  const milestone = (type: string, dueDate: string, completedDate?: string) => ({
    id: type,
    caseId: base.id,
    type: type as "SSC",
    dueDate,
    completedDate,
    note: "",
  });

  it("uses 30 days after MILAP for a BPC OED and 12 months after SSC for closure", () => {
    expect(computeSammDates(base, [milestone("MILAP", "2026-01-31"), milestone("SSC", "2026-01-31")])).toEqual([
      { label: "Standard OED", date: "2026-03-02", basis: "BPC: MILAP + 30 days" },
      { label: "Closure due", date: "2027-01-31", basis: "SSC + 12 months" },
    ]);
  });

  it("does not compute what is already recorded, and uses the completed date when there is one", () => {
    const dates = computeSammDates({ ...base, type: "FMS", category: "A" }, [
      milestone("LOR_RECEIVED", "2026-01-01", "2026-01-05"),
      milestone("MILAP", "2026-02-01"),
      milestone("OED", "2026-05-01"),
    ]);
    expect(dates).toEqual([{ label: "Standard LOA offer date", date: "2026-02-19", basis: "Category A: 45 days from LOR received" }]);
  });
});
