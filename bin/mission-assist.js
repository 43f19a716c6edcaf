#!/usr/bin/env node
// The `mission-assist` command. TypeScript runs through tsx's loader, so there is no
// build step between `npm install` and `npm start`.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.js");
