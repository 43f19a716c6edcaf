import { describe, expect, it } from "vitest";
import { parseCommand, stripMentions, suggestCommand } from "../../src/chat/commands.js";

describe("parseCommand", () => {
  it.each([
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["  NEW  ", { kind: "new" }],
    ["list", { kind: "list" }],
    ["show MA-2026-0007", { kind: "show", id: "MA-2026-0007" }],
    ["queue", { kind: "queue" }],
    ["case  bn d yab", { kind: "case", id: "bn d yab" }],
    ["subscribe AT-D-YAB", { kind: "subscribe", target: "AT-D-YAB" }],
    ["unsubscribe MA-2026-0007", { kind: "unsubscribe", target: "MA-2026-0007" }],
    ["upcoming", { kind: "upcoming" }],
    ["upcoming 30", { kind: "upcoming", days: 30 }],
    ["upcoming 30 days", { kind: "upcoming", days: 30 }],
    ["triage-here", { kind: "triage-here" }],
    ["<at>Mission Assist</at> case BN-B-SAA", { kind: "case", id: "BN-B-SAA" }],
    ["<@U0BOT|missionassist>   list", { kind: "list" }],
    ["/ma list", { kind: "list" }],
  ])("parses %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("asks for the missing argument of show, case and subscribe", () => {
    expect(parseCommand("show")).toMatchObject({ kind: "usage", command: "show" });
    expect(parseCommand("case")).toMatchObject({ kind: "usage", command: "case" });
    expect(parseCommand("subscribe")).toMatchObject({ kind: "usage", command: "subscribe" });
    expect(parseCommand("upcoming soon")).toMatchObject({ kind: "usage", command: "upcoming" });
    expect(parseCommand("upcoming -3")).toMatchObject({ kind: "usage", command: "upcoming" });
  });

  it("answers unknown words with a suggestion when one is close", () => {
    expect(parseCommand("lsit")).toEqual({ kind: "unknown", text: "lsit", suggestion: "list" });
    expect(parseCommand("subscrib BN-B-SAA")).toMatchObject({ kind: "unknown", suggestion: "subscribe" });
    expect(parseCommand("what is FMS?")).toEqual({ kind: "unknown", text: "what is FMS?", suggestion: undefined });
  });
});

describe("stripMentions and suggestCommand", () => {
  it("removes mentions and keeps the words", () => {
    expect(stripMentions("<at>Bot</at>&nbsp;help")).toBe("help");
    expect(stripMentions("hello <@U123>")).toBe("hello");
  });

  it("does not guess from very short or distant words", () => {
    expect(suggestCommand("x")).toBeUndefined();
    expect(suggestCommand("banana")).toBeUndefined();
    expect(suggestCommand("queu")).toBe("queue");
  });
});
