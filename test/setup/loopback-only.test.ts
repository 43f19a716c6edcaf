import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The Agents Playground relays what it is sent to the bot as its user; its CLI has no option
// for the address, so `npm run playground` preloads scripts/loopback-only.cjs.
const listenIn = (code: string) =>
  spawnSync(process.execPath, ["--require", "./scripts/loopback-only.cjs", "-e", code], { encoding: "utf8" });

describe("the Playground's loopback-only preload", () => {
  it("makes a server given no address listen on 127.0.0.1, however listen is called", () => {
    const result = listenIn(`
      const http = require("node:http");
      const calls = [(s, cb) => s.listen(0, cb), (s, cb) => s.listen({ port: 0 }, cb), (s, cb) => s.listen(cb), (s, cb) => s.listen("0", cb)];
      const seen = [];
      const next = (i) => {
        if (i === calls.length) return console.log(JSON.stringify(seen));
        const server = http.createServer();
        calls[i](server, () => { seen.push(server.address().address); server.close(() => next(i + 1)); });
      };
      next(0);
    `);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"]);
  });

  it("keeps an address that was given", () => {
    const result = listenIn(`
      const server = require("node:http").createServer();
      server.listen(0, "::1", () => { console.log(server.address().address); server.close(); });
    `);
    expect(result.stdout.trim()).toBe("::1");
  });

  it("is what npm run playground starts the Playground with", () => {
    expect(readFileSync("scripts/playground.js", "utf8")).toMatch(/spawn\(process\.execPath, \["--require", loopbackOnly,/);
  });
});
