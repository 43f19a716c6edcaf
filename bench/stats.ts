/** Small statistics for benchmark samples (milliseconds). */

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface LoadResult {
  latencies: number[];
  seconds: number;
  errors: number;
}

/** Runs `total` calls of `call` with `concurrency` in flight; records each call's latency. */
export async function runLoad(call: (index: number) => Promise<boolean>, total: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (let index = next++; index < total; index = next++) {
      const t0 = performance.now();
      const ok = await call(index).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000, errors };
}

/**
 * Open loop: starts `total` calls at a steady `perSecond`, whether or not earlier ones have
 * answered (as people's clicks arrive), and records each call's latency from its start.
 */
export async function runAtRate(call: (index: number) => Promise<boolean>, total: number, perSecond: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const wait = started + (index * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    calls.push(
      call(index)
        .catch(() => false)
        .then((ok) => {
          latencies.push(performance.now() - t0);
          if (!ok) errors++;
        }),
    );
  }
  await Promise.all(calls);
  return { latencies, seconds: (performance.now() - started) / 1000, errors };
}

export interface Summary {
  p50: number;
  p99: number;
  perSecond: number;
  errors: number;
}

export function summarise(results: LoadResult[]): Summary {
  const latencies = results.flatMap((result) => result.latencies);
  const seconds = results.reduce((sum, result) => sum + result.seconds, 0);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: latencies.length / seconds,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so data sets are the same every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `a` and `b` alternately `rounds` times, so machine noise falls on both alike. */
export async function alternate<A, B>(rounds: number, a: () => Promise<A>, b: () => Promise<B>): Promise<{ a: A[]; b: B[] }> {
  const out = { a: [] as A[], b: [] as B[] };
  for (let round = 0; round < rounds; round++) {
    out.a.push(await a());
    out.b.push(await b());
  }
  return out;
}
