#!/usr/bin/env node
// The `mission-assist` command. TypeScript runs through tsx's loader, so there is no
// build step between `npm install` and `npm start`.
import { register } from "tsx/esm/api";

register();
const { main, reportFailure } = await import("../src/cli/main.js");
try {
  const code = await main(process.argv.slice(2));
  // serve keeps running until a signal; every other command exits with its status.
  if (code >= 0) process.exit(code);
} catch (error) {
  process.exit(reportFailure(error));
}
