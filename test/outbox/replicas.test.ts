import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { realSleep, systemClock } from "../../src/core/clock.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher, type Dispatcher } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { createSlackChannel } from "../../src/slack/outbound.js";
import { createSlackApi } from "../../src/slack/web-api.js";
import { owedNotices } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";

/**
 * Slack answers each post in SLACK_ANSWER_MS, and a claim lasts LEASE_MS: more messages are
 * owed than can be sent within one lease. Scaled down from a 90 s lease and a Slack answering
 * in 6 s (the ratio that sent 27 cards for 22 owed), so the test takes seconds.
 */
const SLACK_ANSWER_MS = 1_000;
const LEASE_MS = 10_000;
// Five times Slack's answer: a send that times out is retried and may then be posted twice
// (at least once), so on a loaded machine the margin must be wide for the count to be exact.
const SEND_TIMEOUT_MS = 5_000;
const OWED = 24;
/** How often each replica looks for due messages (the dispatcher's own interval, shortened). */
const TICK_MS = 200;

describe.each(DATABASE_KINDS)("two replicas dispatching one $name outbox to a slow Slack", (kind) => {
  let db: TestDatabase;
  let other: Database;
  let slackApi: SlackApiStandIn;

  beforeEach(async () => {
    db = await kind.create();
    // A second connection pool to the same database: the other replica.
    other = await openDatabase(db.database.target);
    slackApi = await new SlackApiStandIn().start();
    slackApi.answerAfterMs = SLACK_ANSWER_MS;
  });
  afterEach(async () => {
    await slackApi.stop();
    await other.close();
    await db.dispose();
  });

  function replica(database: Database, worker: string): Dispatcher {
    const core = { ...createPrismaRepositories(database), clock: systemClock, timeZone: "America/New_York", ...serviceSettings() };
    const api = createSlackApi({ botToken: "xoxb-test", apiUrl: `${slackApi.url}/api/`, timeoutMs: 10_000 });
    return createDispatcher({
      core,
      channels: [createSlackChannel(api, undefined)],
      sleep: realSleep,
      timeZone: core.timeZone,
      log: createLogger("silent"),
      worker,
      leaseMs: LEASE_MS,
      sendTimeoutMs: SEND_TIMEOUT_MS,
    });
  }

  const pending = () => db.database.prisma.outbox.count({ where: { status: "PENDING" } });

  /** A replica as `serve` runs it: drains, and looks again every tick while anything is owed. */
  async function runUntilNothingOwed(dispatcher: Dispatcher): Promise<number> {
    let sent = 0;
    for (;;) {
      sent += (await dispatcher.drain()).sent;
      if ((await pending()) === 0) return sent;
      await realSleep(TICK_MS);
    }
  }

  it("posts every owed message exactly once, and the outbox counts what was posted", async () => {
    // Each to its own person, so pacing per conversation does not slow the test.
    const owed = owedNotices(OWED);
    await createPrismaRepositories(db.database).outbox.enqueue(owed, new Date());

    const sentByReplicas = await Promise.all([runUntilNothingOwed(replica(db.database, "A")), runUntilNothingOwed(replica(other, "B"))]);

    const postsPerMessage = new Map<string, number>();
    for (const call of slackApi.callsTo("chat.postMessage")) {
      postsPerMessage.set(String(call.body.text), (postsPerMessage.get(String(call.body.text)) ?? 0) + 1);
    }
    const posted = [...postsPerMessage.values()].reduce((sum, count) => sum + count, 0);
    const twice = [...postsPerMessage].filter(([, count]) => count > 1).map(([text]) => text);
    expect({ owed: OWED, distinct: postsPerMessage.size, posted, twice }).toEqual({ owed: OWED, distinct: OWED, posted: OWED, twice: [] });
    const counts = await createPrismaRepositories(db.database).outbox.statusCounts();
    expect({ ...counts, reportedByReplicas: sentByReplicas[0] + sentByReplicas[1] }).toEqual({ SENT: OWED, reportedByReplicas: OWED });
  });
});
