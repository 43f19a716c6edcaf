// `tsx bench/profile-summary.ts FILE.cpuprofile [N]`: where a CPU profile's time went, by
// package (node_modules/<name>, our src/, node internals, GC) and by self time per frame.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a frame belongs to, as a reader of the profile would name it. */
function owner(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)" || name === "(program)") return name;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.includes("/src/") || url.includes("/dist/")) return "mission-assist";
  if (url.startsWith("node:") || url === "") return "node";
  return url;
}

const [file, top = "15"] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/profile-summary.ts FILE.cpuprofile [N]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
for (const [index, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
const busy = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName !== "(idle)");
const total = busy.reduce((sum, [, time]) => sum + time, 0);

const sum = (key: (node: ProfileNode) => string) => {
  const totals = new Map<string, number>();
  for (const [id, time] of busy) totals.set(key(byId.get(id)!), (totals.get(key(byId.get(id)!)) ?? 0) + time);
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
};
const pct = (time: number) => `${((100 * time) / total).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy`);
console.log("by package:");
for (const [name, time] of sum((node) => owner(node.callFrame.url, node.callFrame.functionName))) console.log(`  ${pct(time)}  ${name}`);
console.log("by frame (self time):");
for (const [name, time] of sum(
  (node) =>
    `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").slice(-2).join("/")}:${node.callFrame.lineNumber + 1}`,
))
  console.log(`  ${pct(time)}  ${name}`);
