/**
 * Waits until `find` returns something: the bot works after it answers, so what it sends a
 * stand-in arrives a little later. Bounded (4 s), so a missing call fails the test.
 */
export async function waitUntil<T>(find: () => T | undefined, describeMissing: () => string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(describeMissing());
}

/**
 * Waits until the outbox owes nothing due within the next few seconds: a duplicate the bot
 * owed would be delivered by then (the pacer spaces posts to one conversation by a second),
 * so a count taken afterwards can see it. Later reminders and nudges are not waited for.
 */
export async function waitForOutboxSettled(prisma: {
  outbox: { count(args: { where: { status: string; nextAttemptAt: { lte: Date } } }): Promise<number> };
}): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const due = await prisma.outbox.count({ where: { status: "PENDING", nextAttemptAt: { lte: new Date(Date.now() + 5_000) } } });
    if (due === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the outbox still owes messages due now after 15 s");
}

/** A promise and the call that resolves it: a gate a test opens when it is ready. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
