import type { ChatChannel } from "../../src/chat/channel.js";
import type { InteractionDeps } from "../../src/chat/interactions/outcome.js";
import { type Audience, owedForNewRequest } from "../../src/chat/owed.js";
import { type Clock, fixedClock } from "../../src/core/clock.js";
import type { CoreDeps } from "../../src/core/deps.js";
import { type AppError, isAppError } from "../../src/core/errors.js";
import type { Actor, MaRequest, Role } from "../../src/core/model.js";
import type { OwedMessage } from "../../src/core/ports.js";
import type { RawRequestForm } from "../../src/core/requests/request-form.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import type { Database } from "../../src/db/client.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { serviceSettings } from "../../src/reminders/holidays.js";

export const TEST_TIME_ZONE = "America/New_York";
/** Noon in New York on 2026-03-02: "today" is 2026-03-02. */
export const TEST_NOW = "2026-03-02T17:00:00Z";

export function coreDeps(database: Database, clock: Clock = fixedClock(TEST_NOW)): CoreDeps & ReturnType<typeof createPrismaRepositories> {
  const repositories = createPrismaRepositories(database);
  return { ...repositories, clock, timeZone: TEST_TIME_ZONE, ...serviceSettings() };
}

/** Resolves an identity and grants it roles: a person as the core sees them. */
export async function actorWith(deps: CoreDeps, key: string, displayName: string, roles: Role[] = []): Promise<Actor> {
  for (const role of roles) await deps.people.grant(key, role, "test");
  return deps.people.resolve({ key, displayName });
}

/** A complete, valid form; override fields to test one rule at a time. */
export function validForm(overrides: RawRequestForm = {}): RawRequestForm {
  return {
    organization: "PEO Soldier, International Programs",
    component: "ARMY",
    program: "Night vision devices for Bandaria",
    effortTypes: ["FMS"],
    supportType: "ADVISORY",
    lifecyclePhase: "LOR",
    relatedCases: ["bn-b-saa"],
    problemStatement: "We need help preparing an LOR response and pricing approach for a complex case.",
    desiredOutcome: "A draft LOA pricing plan",
    audienceSize: "12",
    preferredStart: "2026-04-06",
    preferredEnd: "2026-04-08",
    deliveryMode: "VIRTUAL",
    location: "",
    travelFunded: false,
    pocName: "Jordan Lee",
    pocEmail: "jordan.lee@army.mil",
    ...overrides,
  };
}

/** The AppError a refused call throws; fails the test if it resolves or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The interaction layer over these deps: owed messages go to `channels`; unexpected errors are kept. */
export function interactionDeps(core: CoreDeps, channels: ChatChannel[] = []): InteractionDeps & { unexpected: unknown[]; wakes: number } {
  const deps = {
    core,
    channels,
    unexpected: [] as unknown[],
    wakes: 0,
    wake: () => {
      deps.wakes++;
    },
    report: (error: unknown) => {
      deps.unexpected.push(error);
    },
  };
  return deps;
}

/** A valid request filed by `actor`, owing what a new request owes `audience`. */
export async function fileOwing(core: CoreDeps, actor: Actor, audience: Audience): Promise<MaRequest> {
  const result = await submitRequest(core, {
    actor,
    raw: validForm(),
    platform: "slack",
    owe: (request) => owedForNewRequest(audience, request),
  });
  if (!result.ok) throw new Error("invalid form");
  return result.request;
}

/** `count` Slack notices, each to its own person (pacing is per conversation) unless one is named. */
export function owedNotices(count: number, conversationId?: string): OwedMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    kind: "notice",
    platform: "slack",
    conversationId: conversationId ?? `@slack:U${index}`,
    subjectKey: "request:x",
    version: 1,
    body: JSON.stringify({ text: `message ${index}`, blocks: [] }),
    dedupeKey: `notice:${index}`,
  }));
}
