/** Time is a parameter: services read it from here so tests can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** A clock that starts at `at` and then runs at real speed (`remind --once --now`). */
export function clockStartingAt(at: Date): Clock {
  const offset = at.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Waiting, injected like the clock so tests advance time instead of sleeping. */
export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
