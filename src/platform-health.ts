import type { Platform } from "./core/model.js";

export type PlatformState = { state: "ok" } | { state: "degraded"; reason: string } | { state: "off" };

/** What /readyz reports for each chat platform, set by the adapters as they learn it. */
export class PlatformHealth {
  private readonly states = new Map<Platform, PlatformState>([
    ["slack", { state: "off" }],
    ["teams", { state: "off" }],
  ]);

  set(platform: Platform, state: PlatformState): void {
    this.states.set(platform, state);
  }

  snapshot(): Record<Platform, PlatformState> {
    return Object.fromEntries(this.states) as Record<Platform, PlatformState>;
  }
}
