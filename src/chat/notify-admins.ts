import type { CoreDeps } from "../core/deps.js";
import { adminIdentityKeys } from "../core/people/admins.js";
import { directTargets } from "../core/people/identity.js";
import type { OwedMessage } from "../core/ports.js";
import type { ChatChannel } from "./channel.js";
import { noticeView } from "./present.js";

/**
 * Owes every admin a notice, by direct message on each platform the bot speaks on. `key`
 * names the occasion: each admin is owed it once, however many replicas notice it.
 */
export async function noticeToAdmins(
  core: Pick<CoreDeps, "people" | "outbox" | "clock">,
  channels: readonly ChatChannel[],
  text: string,
  about: { subjectKey: string; key: string },
): Promise<void> {
  const body = JSON.stringify(noticeView(text));
  const platforms = channels.map((channel) => channel.platform);
  const owed = directTargets(await adminIdentityKeys(core), platforms).map(
    (target): OwedMessage => ({
      kind: "notice",
      ...target,
      subjectKey: about.subjectKey,
      version: 0,
      body,
      dedupeKey: `${about.key}:${target.conversationId}`,
    }),
  );
  await core.outbox.enqueue(owed, core.clock.now());
}
