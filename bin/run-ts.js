#!/usr/bin/env node
// Runs a TypeScript entry point without a build step (tsx's ESM loader).
import { register } from "tsx/esm/api";

register();
const [entry] = process.argv.splice(2, 1);
await import(new URL(`../${entry}`, import.meta.url).href);
