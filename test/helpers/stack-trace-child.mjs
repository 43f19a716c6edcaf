// Run in a process of its own by test/stack-traces.test.ts: plain Node loads the compiled
// fixture (tsx or a test runner would transform it), with Node's own source-map support off,
// as the compiled build runs. Prints the stacks of the fixture's errors as JSON.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const { mapStackTraces } = await tsImport("../../src/stack-traces.ts", import.meta.url);
process.setSourceMapsEnabled(false);
const dist = path.join(process.argv[2] ?? "", "dist");
mapStackTraces(`${dist}${path.sep}`);
const stacks = {};
for (const name of ["failing", "unmapped", "foreign", "hosted"]) {
  const module = await import(pathToFileURL(path.join(dist, `${name}.js`)).href);
  try {
    module.failing();
  } catch (error) {
    stacks[name] = error.stack;
  }
}
console.log(JSON.stringify(stacks));
