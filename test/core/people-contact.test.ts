import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/model.js";
import { listMyRequests, showRequest } from "../../src/core/requests/queries.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { actorWith, coreDeps, refusal, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("people in both worlds on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database);
  });
  afterAll(() => db.dispose());

  async function submit(actor: Actor, program: string) {
    const result = await submitRequest(deps, { actor, raw: validForm({ program }), platform: "slack" });
    if (!result.ok) throw new Error(`unexpected field errors ${JSON.stringify(result.fieldErrors)}`);
    return result.request;
  }

  it("stores a chat user's verified address and zone, and reads them back with contactOf", async () => {
    const actor = await actorWith(deps, "slack:UZONE01", "Pat Zone");
    expect(await deps.people.contactOf(actor.id)).toEqual({});
    expect(await deps.people.contactCheckedAt("slack:UZONE01")).toBeUndefined();
    const checkedAt = new Date(TEST_NOW);
    await deps.people.recordContact("slack:UZONE01", { verifiedEmail: "Pat.Zone@Army.mil", timeZone: "America/Chicago", checkedAt });
    expect(await deps.people.contactOf(actor.id)).toEqual({ email: "pat.zone@army.mil", timeZone: "America/Chicago" });
    expect((await deps.people.contactCheckedAt("slack:UZONE01"))?.toISOString()).toBe(checkedAt.toISOString());
    // The resolved person carries the zone at once (the directory's short cache is cleared).
    expect((await deps.people.resolve({ key: "slack:UZONE01" })).timeZone).toBe("America/Chicago");
  });

  it("ignores a zone that is not an IANA zone", async () => {
    const actor = await actorWith(deps, "slack:UZONE02", "Kim Bad");
    await deps.people.recordContact("slack:UZONE02", { timeZone: "Mars/Olympus_Mons" });
    expect(await deps.people.contactOf(actor.id)).toEqual({});
  });

  it("gives a mail requester's address from their email: identity", async () => {
    const mailer = await deps.people.resolve({ key: "email:only.mail@navy.mil", displayName: "Only Mail" });
    expect((await deps.people.contactOf(mailer.id)).email).toBe("only.mail@navy.mil");
  });

  it("writes the zone a Teams activity carries through resolve, only when it changed", async () => {
    const first = await deps.people.resolve({ key: "teams:aad-zone-1", displayName: "Ana", timeZone: "Europe/Berlin" });
    expect(first.timeZone).toBe("Europe/Berlin");
    const moved = await deps.people.resolve({ key: "teams:aad-zone-1", displayName: "Ana", timeZone: "Asia/Tokyo" });
    expect(moved.timeZone).toBe("Asia/Tokyo");
    expect((await deps.people.contactOf(first.id)).timeZone).toBe("Asia/Tokyo");
  });

  it("links a mail requester to the chat user with the same verified address: one list of requests", async () => {
    const mailer = await deps.people.resolve({ key: "email:jordan.lee@army.mil", displayName: "Jordan (mail)" });
    const mailed = await submit(mailer, "Mailed program");
    const chat = await actorWith(deps, "slack:UJORDAN1", "Jordan Lee");
    const typed = await submit(chat, "Chat program");

    const result = await deps.people.recordContact("slack:UJORDAN1", { verifiedEmail: "Jordan.Lee@army.mil" });
    expect(result).toEqual({ linked: true });

    const me = await deps.people.resolve({ key: "slack:UJORDAN1" });
    expect(me.identityKeys).toEqual(["email:jordan.lee@army.mil", "slack:UJORDAN1"]);
    expect((await listMyRequests(deps, me)).map((request) => request.number).sort()).toEqual([mailed.number, typed.number].sort());
    expect((await showRequest(deps, me, mailed.number)).request.id).toBe(mailed.id);
    // The next mail from that address is the same person.
    expect((await deps.people.resolve({ key: "email:jordan.lee@army.mil" })).id).toBe(me.id);
    // A second look changes nothing.
    expect(await deps.people.recordContact("slack:UJORDAN1", { verifiedEmail: "jordan.lee@army.mil" })).toEqual({ linked: false });
  });

  it("never takes an address that already belongs to another chat user, so nobody sees someone else's requests", async () => {
    const mailer = await deps.people.resolve({ key: "email:casey.first@af.mil", displayName: "Casey (mail)" });
    const mailed = await submit(mailer, "Casey's mailed program");
    await actorWith(deps, "teams:aad-casey", "Casey First");
    expect(await deps.people.recordContact("teams:aad-casey", { verifiedEmail: "casey.first@af.mil" })).toEqual({ linked: true });

    const other = await actorWith(deps, "slack:UOTHER01", "Someone Else");
    expect(await deps.people.recordContact("slack:UOTHER01", { verifiedEmail: "casey.first@af.mil" })).toEqual({ linked: false });
    const otherNow = await deps.people.resolve({ key: "slack:UOTHER01" });
    expect(otherNow.identityKeys).toEqual(["slack:UOTHER01"]);
    expect(await listMyRequests(deps, otherNow)).toEqual([]);
    const refused = await refusal(showRequest(deps, other, mailed.number));
    expect(refused.code).toBe("NOT_FOUND");
  });

  it("links nothing from a mail identity: a sender's address is what they typed", async () => {
    await deps.people.resolve({ key: "email:victim@army.mil", displayName: "Victim" });
    const attacker = await deps.people.resolve({ key: "email:attacker@example.com", displayName: "Attacker" });
    expect(await deps.people.recordContact("email:attacker@example.com", { verifiedEmail: "victim@army.mil" })).toEqual({
      linked: false,
    });
    expect((await deps.people.resolve({ key: "email:attacker@example.com" })).identityKeys).toEqual(["email:attacker@example.com"]);
    expect(attacker.identityKeys).toEqual(["email:attacker@example.com"]);
  });
});
