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
