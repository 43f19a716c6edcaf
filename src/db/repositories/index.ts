import type { Database } from "../client.js";
import { createCaseDirectory } from "./cases.js";
import { createConversationStore, createDeliveryLog } from "./conversations.js";
import { createOutbox } from "./outbox.js";
import { createOutboxHandoff } from "./outbox-handoff.js";
import { createPeopleDirectory } from "./people.js";
import { createRecordsStore } from "./records.js";
import { createRequestRepository } from "./requests.js";
import { createSettingsStore } from "./settings.js";
import { createSubscriptionStore } from "./subscriptions.js";
import { createSurveyStore } from "./surveys.js";
import { createRequesterCardStore, createTriageCardStore } from "./triage-cards.js";

import { createAvailabilityStore, createReplyTemplateStore, createSkillStore } from "./workbench.js";

/** Every repository over one database. */
export function createPrismaRepositories(database: Database) {
  const { prisma } = database;
  // Shared by the repositories that store owed messages and the outbox the dispatcher holds.
  const handoff = createOutboxHandoff();
  return {
    requests: createRequestRepository(database, handoff),
    cases: createCaseDirectory(database),
    people: createPeopleDirectory(database),
    settings: createSettingsStore(database),
    subscriptions: createSubscriptionStore(database),
    triageCards: createTriageCardStore(database),
    requesterCards: createRequesterCardStore(database),
    conversations: createConversationStore(database),
    deliveries: createDeliveryLog(prisma),
    outbox: createOutbox(database, handoff),
    templates: createReplyTemplateStore(prisma),
    availability: createAvailabilityStore(prisma),
    skills: createSkillStore(prisma),
    records: createRecordsStore(database),
    surveys: createSurveyStore(database, handoff),
  };
}

export type Repositories = ReturnType<typeof createPrismaRepositories>;
