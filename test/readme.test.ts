import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PLAYGROUND_USER } from "../src/teams/activity-policy.js";

const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");

describe("README's Agents Playground steps", () => {
  const steps = readme.slice(readme.indexOf("**Try it without any account:**"), readme.indexOf("**For real:**"));

  it("grants the Playground's own user, before the steps that need faculty", () => {
    const grants = [...steps.matchAll(/npm run cli -- roles grant teams:(\S+) (faculty|admin)/g)];
    expect(grants.map((grant) => [grant[1], grant[2]])).toEqual([
      [PLAYGROUND_USER, "faculty"],
      [PLAYGROUND_USER, "admin"],
    ]);
    const firstGrant = grants[0]?.index ?? Number.POSITIVE_INFINITY;
    expect(steps.indexOf("`case BN-D-YAB`")).toBeGreaterThan(firstGrant);
    expect(steps.indexOf("`triage-here`")).toBeGreaterThan(firstGrant);
  });

  it("says a channel command needs the @mention, and what a reload loses", () => {
    expect(steps).toMatch(/type `@`, pick the\s+bot, then `triage-here`/);
    expect(steps).toMatch(/Reloading the\s+Playground page clears what it shows/);
  });
});
