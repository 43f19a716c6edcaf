import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createRateLimits } from "../../src/core/limits/rate-limits.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { facultyLoad, listMyRequests, myAssignments, showRequest, triageQueue } from "../../src/core/requests/queries.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { availableMoves, type Move } from "../../src/core/requests/workflow.js";
import { actorWith, coreDeps, refusal, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("Mission Assistance requests on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let clock: ReturnType<typeof fixedClock>;
  let requester: Actor;
  let otherRequester: Actor;
  let faculty: Actor;
  let admin: Actor;

  beforeAll(async () => {
    db = await kind.create();
    clock = fixedClock(TEST_NOW);
    deps = coreDeps(db.database, clock);
    requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    otherRequester = await actorWith(deps, "teams:other-aad", "Sam Ortiz");
    faculty = await actorWith(deps, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
    admin = await actorWith(deps, "teams:admin-aad", "Alex Kim", [{ role: "admin" }]);
  });
  afterAll(() => db.dispose());

  async function submit(actor = requester, overrides = {}, idempotencyKey?: string): Promise<MaRequest> {
    const result = await submitRequest(deps, { actor, raw: validForm(overrides), platform: "slack", idempotencyKey });
    if (!result.ok) throw new Error(`unexpected field errors ${JSON.stringify(result.fieldErrors)}`);
    return result.request;
  }

  async function move(actor: Actor, request: MaRequest, m: Move, version = request.version) {
    return moveRequest(deps, { actor, requestId: request.id, expectedVersion: version, move: m });
  }

  describe("people.resolve", () => {
    it("reuses a resolved person briefly, but a grant or revoke here is seen at once", async () => {
      const key = "slack:UCACHE";
      const first = await deps.people.resolve({ key, displayName: "Casey" });
      const again = await deps.people.resolve({ key, displayName: "Casey" });
      expect(again).toEqual(first);
      again.roles.push({ role: "admin" });
      expect((await deps.people.resolve({ key, displayName: "Casey" })).roles).toEqual([]);
      await deps.people.grant(key, { role: "faculty" }, "test");
      expect((await deps.people.resolve({ key, displayName: "Casey" })).roles).toEqual([{ role: "faculty" }]);
      await deps.people.revoke(key, { role: "faculty" });
      expect((await deps.people.resolve({ key, displayName: "Casey" })).roles).toEqual([]);
    });
  });

  describe("submitRequest", () => {
    it("stores a valid request with the year's next id, an audit event, and the requester to notify", async () => {
      const first = await submit();
      const second = await submit();
      expect(first.number).toMatch(/^MA-2026-\d{4}$/);
      expect(Number(second.number.slice(-4))).toBe(Number(first.number.slice(-4)) + 1);
      expect(first.status).toBe("SUBMITTED");
      expect(first.form.relatedCases).toEqual(["BN-B-SAA"]);
      const detail = await showRequest(deps, requester, first.number);
      expect(detail.history.map((event) => [event.action, event.toStatus])).toEqual([["submit", "SUBMITTED"]]);
    });

    it("returns field errors and stores nothing for a bad form", async () => {
      const before = (await listMyRequests(deps, otherRequester)).length;
      const result = await submitRequest(deps, { actor: otherRequester, raw: validForm({ pocEmail: "x" }), platform: "teams" });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fieldErrors.pocEmail).toMatch(/valid address/);
      expect((await listMyRequests(deps, otherRequester)).length).toBe(before);
    });

    it("returns the first request for a repeated idempotency key and stores nothing new", async () => {
      const first = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack", idempotencyKey: "slack:V1:abc" });
      const again = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack", idempotencyKey: "slack:V1:abc" });
      expect(first.ok && again.ok).toBe(true);
      if (first.ok && again.ok) {
        expect(again.request.id).toBe(first.request.id);
        expect([first.created, again.created]).toEqual([true, false]);
      }
    });

    it("answers a repeated key with its request even when that request used the hourly limit up", async () => {
      const actor = await actorWith(deps, "slack:UQUOTA", "Robin Park");
      const limited = { ...deps, limits: createRateLimits({ requestsPerHour: 1, commandsPerMinute: 60 }, clock) };
      const first = await submitRequest(limited, { actor, raw: validForm(), platform: "slack", idempotencyKey: "slack:V1:quota" });
      const again = await submitRequest(limited, { actor, raw: validForm(), platform: "slack", idempotencyKey: "slack:V1:quota" });
      expect(first.ok && again.ok).toBe(true);
      if (first.ok && again.ok) {
        expect(again.request.id).toBe(first.request.id);
        expect([first.created, again.created]).toEqual([true, false]);
      }
      // A new submission past the limit is still refused.
      const third = await refusal(submitRequest(limited, { actor, raw: validForm(), platform: "slack", idempotencyKey: "slack:V1:other" }));
      expect(third.code).toBe("LIMITED");
    });

    it("gives concurrent submits distinct consecutive ids and keeps one request per idempotency key", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          submitRequest(deps, { actor: requester, raw: validForm(), platform: "teams", idempotencyKey: `teams:act-${index % 6}` }),
        ),
      );
      const requests = results.map((result) => (result.ok ? result.request : undefined));
      const ids = new Set(requests.map((request) => request?.id));
      const numbers = [...new Set(requests.map((request) => request?.number ?? ""))].sort();
      expect(ids.size).toBe(6);
      expect(numbers).toHaveLength(6);
      const seqs = numbers.map((number) => Number(number.slice(-4)));
      expect(seqs.at(-1)! - seqs[0]!).toBe(5);
    });

    it("flags component OTHER for an eligibility check", async () => {
      expect((await submit(requester, { component: "OTHER" })).eligibilityCheck).toBe(true);
      expect((await submit(requester, { component: "NAVY" })).eligibilityCheck).toBe(false);
    });

    it("starts numbering again at 0001 in a new year", async () => {
      const newYear = coreDeps(db.database, fixedClock("2027-01-04T15:00:00Z"));
      const result = await submitRequest(newYear, {
        actor: requester,
        raw: validForm({ preferredStart: "2027-02-01", preferredEnd: "2027-02-02" }),
        platform: "slack",
      });
      expect(result.ok && result.request.number).toBe("MA-2027-0001");
    });
  });

  describe("a first-time requester", () => {
    const identity = (key: string) => database().prisma.identity.findUnique({ where: { key } });
    const database = () => db.database;

    it("is stored with their first request, in its transaction, and found stored afterwards", async () => {
      const info = { key: "slack:UFIRST", displayName: "Robin Vale", workspaceId: "T01" };
      const { actor, unsaved } = await deps.people.resolveRequester(info);
      expect(unsaved).toEqual(info);
      expect(actor).toMatchObject({ displayName: "Robin Vale", identityKeys: ["slack:UFIRST"], identityKey: "slack:UFIRST", roles: [] });
      expect(await identity("slack:UFIRST")).toBeNull();
      const result = await submitRequest(deps, { actor, raw: validForm(), platform: "slack", newRequester: unsaved });
      expect(result.ok && result.request.requester.id).toBe(actor.id);
      expect(await identity("slack:UFIRST")).toMatchObject({
        personId: actor.id,
        platform: "slack",
        externalId: "UFIRST",
        workspaceId: "T01",
      });
      const again = await deps.people.resolveRequester(info);
      expect(again).toEqual({ actor: { ...actor, roles: [] } });
    });

    it("is not stored when their request is not", async () => {
      const refusing = { ...deps, limits: createRateLimits({ requestsPerHour: 0, commandsPerMinute: 60 }, clock) };
      const { actor, unsaved } = await deps.people.resolveRequester({ key: "slack:UREFUSED", displayName: "Kim Poe" });
      await expect(submitRequest(refusing, { actor, raw: validForm(), platform: "slack", newRequester: unsaved })).rejects.toThrow();
      expect(await identity("slack:UREFUSED")).toBeNull();
      expect(await database().prisma.person.count({ where: { id: actor.id } })).toBe(0);
    });

    it("files the request under the person a racing first contact stored, once per idempotency key", async () => {
      const info = { key: "teams:aad-race", displayName: "Lee Park" };
      const first = await deps.people.resolveRequester(info);
      const second = await deps.people.resolveRequester(info);
      expect(first.actor.id).not.toBe(second.actor.id);
      const submitAs = ({ actor, unsaved }: typeof first) =>
        submitRequest(deps, { actor, raw: validForm(), platform: "teams", idempotencyKey: "teams:act-race", newRequester: unsaved });
      const results = await Promise.all([submitAs(first), submitAs(second)]);
      const requests = results.map((result) => (result.ok ? result.request : undefined));
      expect(requests[1]?.id).toBe(requests[0]?.id);
      const stored = await identity("teams:aad-race");
      expect(requests[0]?.requester.id).toBe(stored?.personId);
      expect(await database().prisma.person.count({ where: { displayName: "Lee Park" } })).toBe(1);
      // Meanwhile stored by another path (any message of theirs): the request is that person's.
      const third = await deps.people.resolveRequester({ key: "slack:ULATE", displayName: "Ola Berg" });
      const meanwhile = await deps.people.resolve({ key: "slack:ULATE", displayName: "Ola Berg" });
      const late = await submitAs(third);
      expect(late.ok && late.request.requester.id).toBe(meanwhile.id);
    });
  });

  describe("moveRequest", () => {
    it("walks the happy path: accept with a lead, schedule, deliver — each audited and notified", async () => {
      let request = await submit();
      const accepted = await move(faculty, request, { kind: "accept", leadId: faculty.id });
      expect(accepted.request.status).toBe("ACCEPTED");
      expect(accepted.request.lead?.id).toBe(faculty.id);
      expect(accepted.notify.map((person) => person.id)).toEqual([requester.id]);
      request = accepted.request;
      request = (await move(faculty, request, { kind: "schedule", start: "2026-04-06", end: "2026-04-07" })).request;
      expect([request.status, request.scheduledStart, request.scheduledEnd]).toEqual(["SCHEDULED", "2026-04-06", "2026-04-07"]);
      // Not delivered before it has started.
      const early = await refusal(move(admin, request, { kind: "deliver" }));
      expect([early.code, early.message]).toEqual([
        "CONFLICT",
        `${request.number} starts on 2026-04-06; it can be marked delivered from then.`,
      ]);
      const clock = deps.clock as ReturnType<typeof fixedClock>;
      clock.set("2026-04-06T15:00:00Z");
      const delivered = await move(admin, request, { kind: "deliver" }).finally(() => clock.set(TEST_NOW));
      expect(delivered.request.status).toBe("DELIVERED");
      expect(delivered.notify.map((person) => person.id).sort()).toEqual([requester.id, faculty.id].sort());
      const history = (await showRequest(deps, requester, request.number)).history;
      expect(history.map((event) => `${event.fromStatus ?? ""}>${event.toStatus}`)).toEqual([
        ">SUBMITTED",
        "SUBMITTED>ACCEPTED",
        "ACCEPTED>SCHEDULED",
        "SCHEDULED>DELIVERED",
      ]);
      expect(history[3]?.actor.id).toBe(admin.id);
    });

    it("asks for information and takes the requester's answer back to submitted", async () => {
      const request = await submit();
      const asked = await move(faculty, request, { kind: "askInfo", question: "Which case line items?" });
      expect([asked.request.status, asked.request.question]).toEqual(["NEEDS_INFO", "Which case line items?"]);
      const answered = await move(requester, asked.request, { kind: "answer", answer: "Lines 001 to 004" });
      expect([answered.request.status, answered.request.question]).toEqual(["SUBMITTED", undefined]);
      expect(answered.notify).toEqual([]);
      const history = await deps.requests.history(request.id);
      expect(history.at(-1)?.note).toBe("Lines 001 to 004");
    });

    it("declines with a reason from any open state, and refuses without one", async () => {
      const request = await submit();
      const error = await refusal(move(faculty, request, { kind: "decline", reason: "BUSY" as never }));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.fieldErrors.reason).toBeDefined();
      const declined = await move(faculty, request, { kind: "decline", reason: "OUT_OF_SCOPE", note: "DCS only" });
      expect([declined.request.status, declined.request.declineReason]).toEqual(["DECLINED", "OUT_OF_SCOPE"]);
    });

    it("lets the requester withdraw and edit while open, and nobody else", async () => {
      const request = await submit();
      expect((await refusal(move(otherRequester, request, { kind: "withdraw" }))).code).toBe("NOT_FOUND");
      expect((await refusal(move(faculty, request, { kind: "withdraw" }))).code).toBe("FORBIDDEN");
      const edited = await move(requester, request, { kind: "edit", raw: validForm({ program: "Edited program name" }) });
      expect([edited.request.form.program, edited.request.version]).toEqual(["Edited program name", request.version + 1]);
      const badEdit = await refusal(move(requester, edited.request, { kind: "edit", raw: validForm({ audienceSize: "0" }) }));
      expect(badEdit.fieldErrors.audienceSize).toMatch(/at least 1/);
      const withdrawn = await move(requester, edited.request, { kind: "withdraw" });
      expect(withdrawn.request.status).toBe("WITHDRAWN");
      expect((await refusal(move(requester, withdrawn.request, { kind: "withdraw" }))).code).toBe("CONFLICT");
    });

    it("refuses faculty moves by requesters and changes nothing", async () => {
      const request = await submit();
      for (const attempt of [
        { kind: "accept", leadId: requester.id },
        { kind: "askInfo", question: "?" },
        { kind: "decline", reason: "DUPLICATE" },
      ] as Move[]) {
        const error = await refusal(move(requester, request, attempt));
        expect(error.code).toBe("FORBIDDEN");
      }
      const stored = await deps.requests.findById(request.id);
      expect([stored?.status, stored?.version]).toEqual(["SUBMITTED", request.version]);
    });

    it("refuses moves not allowed from the current state", async () => {
      const request = await submit();
      expect((await refusal(move(faculty, request, { kind: "deliver" }))).code).toBe("CONFLICT");
      expect((await refusal(move(faculty, request, { kind: "schedule", start: "2026-04-06", end: "2026-04-07" }))).code).toBe("CONFLICT");
      expect((await refusal(move(requester, request, { kind: "answer", answer: "x" }))).code).toBe("CONFLICT");
      const accepted = (await move(faculty, request, { kind: "accept", leadId: faculty.id })).request;
      expect((await refusal(move(requester, accepted, { kind: "edit", raw: validForm() }))).code).toBe("CONFLICT");
      expect((await refusal(move(faculty, accepted, { kind: "askInfo", question: "late" }))).code).toBe("CONFLICT");
    });

    it("refuses a stale move (the request changed since the card was drawn)", async () => {
      const request = await submit();
      await move(faculty, request, { kind: "askInfo", question: "Dates flexible?" });
      const error = await refusal(move(faculty, request, { kind: "accept", leadId: faculty.id }, request.version));
      expect(error.code).toBe("CONFLICT");
      expect(error.message).toMatch(/changed since/);
      expect((await deps.requests.findById(request.id))?.status).toBe("NEEDS_INFO");
    });

    it("lets only one of two simultaneous clicks win", async () => {
      const request = await submit();
      const outcomes = await Promise.allSettled([
        move(faculty, request, { kind: "accept", leadId: faculty.id }),
        move(admin, request, { kind: "decline", reason: "NO_CAPACITY" }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      expect((await deps.requests.history(request.id)).length).toBe(2);
    });

    it("requires a faculty member as lead and real dates when scheduling", async () => {
      const request = await submit();
      expect((await refusal(move(faculty, request, { kind: "accept", leadId: requester.id }))).fieldErrors.leadId).toBeDefined();
      const accepted = (await move(faculty, request, { kind: "accept", leadId: admin.id })).request;
      const dates = await refusal(move(faculty, accepted, { kind: "schedule", start: "2026-04-09", end: "2026-04-08" }));
      expect(dates.fieldErrors.end).toMatch(/on or after/);
      const past = await refusal(move(faculty, accepted, { kind: "schedule", start: "2026-01-09", end: "2026-04-08" }));
      expect(past.fieldErrors.start).toMatch(/past/);
    });
  });

  describe("queries", () => {
    it("lists my requests newest first, only mine", async () => {
      const mine = await submit(otherRequester);
      clock.advance(60_000);
      const newer = await submit(otherRequester);
      const list = await listMyRequests(deps, otherRequester);
      expect(list.map((request) => request.id).slice(0, 2)).toEqual([newer.id, mine.id]);
      expect(list.every((request) => request.requester.id === otherRequester.id)).toBe(true);
    });

    it("shows a request to its requester and faculty only, with the same answer for missing and forbidden", async () => {
      const request = await submit();
      expect((await showRequest(deps, faculty, request.number)).moves).toEqual(["accept", "askInfo", "decline"]);
      expect((await showRequest(deps, requester, request.number)).moves).toEqual(["withdraw", "edit"]);
      const forbidden = await refusal(showRequest(deps, otherRequester, request.number));
      const missing = await refusal(showRequest(deps, otherRequester, "MA-2026-9999"));
      expect(forbidden.code).toBe("NOT_FOUND");
      expect(forbidden.message.replace(request.number, "X")).toBe(missing.message.replace("MA-2026-9999", "X"));
      expect((await refusal(showRequest(deps, requester, "BN-B-SAA"))).code).toBe("INVALID_INPUT");
    });

    it("gives faculty the triage queue oldest first with waiting time, and refuses requesters", async () => {
      const queue = await triageQueue(deps, faculty);
      expect(queue.length).toBeGreaterThan(0);
      expect(queue.every((entry) => ["SUBMITTED", "NEEDS_INFO"].includes(entry.request.status))).toBe(true);
      const times = queue.map((entry) => entry.request.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(queue[0]!.waitingMs).toBeGreaterThanOrEqual(queue.at(-1)!.waitingMs);
      expect((await refusal(triageQueue(deps, requester))).code).toBe("FORBIDDEN");
    });

    it("counts each faculty member's open load for the assign picker", async () => {
      const loads = await facultyLoad(deps, faculty);
      const names = loads.map((load) => load.person.displayName);
      expect(names).toContain("Dana Ruiz");
      expect(names).toContain("Alex Kim");
      expect(names).not.toContain("Jordan Lee");
      const request = await submit();
      const before = loads.find((load) => load.person.id === faculty.id)!.openAssignments;
      await move(faculty, request, { kind: "accept", leadId: faculty.id });
      const after = (await facultyLoad(deps, faculty)).find((load) => load.person.id === faculty.id)!.openAssignments;
      expect(after).toBe(before + 1);
      expect((await myAssignments(deps, faculty)).some((item) => item.id === request.id)).toBe(true);
      expect(await myAssignments(deps, requester)).toEqual([]);
    });

    it("offers each actor only the moves they may make", async () => {
      const request = await submit();
      expect(availableMoves(otherRequester, request)).toEqual([]);
      expect(availableMoves(admin, request)).toEqual(["accept", "askInfo", "decline"]);
    });
  });
});
