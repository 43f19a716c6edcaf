import { createRequire, Module } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Bolt's App requires Socket Mode (with undici) and OAuth (with jsonwebtoken and semver)
 * as it loads, about 200 modules, though an HTTP app with its own receiver and `authorize`
 * never calls them: most of Bolt's share of start-to-ready. Until one of their exports is
 * read (Bolt's Socket Mode receiver, when SLACK_APP_TOKEN is set), each package's entry in
 * the CommonJS module cache is a stand-in that loads the real package on that first read.
 */
export function deferUntilUsed(packageName: string, dependent: string): void {
  const file = createRequire(dependent).resolve(packageName);
  if (require.cache[file]) return;
  const target: object = {};
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as object;
      // The stand-in's own properties become the real ones: what a Proxy may report must exist on its target.
      Object.defineProperties(target, Object.getOwnPropertyDescriptors(real));
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(target, {
    get: (_target, key) => Reflect.get(load(), key),
    set: (_target, key, value) => Reflect.set(load(), key, value),
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => {
      load();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor: (_target, key) => {
      load();
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
  });
  require.cache[file] = standIn;
}

const boltEntry = require.resolve("@slack/bolt");
deferUntilUsed("@slack/socket-mode", boltEntry);
deferUntilUsed("@slack/oauth", boltEntry);

/**
 * Bolt, required: importing its CommonJS entry as an ES module would read every export,
 * OAuth's re-exported stores among them, and so load OAuth. Every module of src/ reads
 * Bolt's values from here (test/slack/bolt-load.test.ts); types still come from "@slack/bolt".
 */
export const bolt = require(boltEntry) as typeof import("@slack/bolt");
