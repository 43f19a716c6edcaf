import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Where a map's source is: a path for a file: URL (relative sources resolve to one), else the
 * URL as written (a bundler's `webpack://…`); fileURLToPath would throw, and with it every
 * read of the stack.
 */
function sourceName(source: string, mapUrl: string): string {
  const url = new URL(source, mapUrl);
  return url.protocol === "file:" ? fileURLToPath(url) : url.href;
}

/**
 * Stack traces of the compiled build name the TypeScript, as Node's source-map support
 * would, but each map is read only when a trace passes through its file. Node's support
 * reads and parses the map of every module it loads, node_modules' too (Prisma's client
 * alone has a 1 MB map): that cost `serve` ~90 ms of CPU and ~6 MB before it was ready.
 * Frames outside `folder` (a directory path ending in "/") stay as V8 writes them.
 */
export function mapStackTraces(folder: string): void {
  const maps = new Map<string, { map: SourceMap; url: string } | null>();
  const mapOf = (file: string) => {
    let entry = maps.get(file);
    if (entry === undefined) {
      try {
        const url = file.startsWith("file:") ? file : pathToFileURL(file).href;
        const map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, "utf8")));
        entry = { map, url };
      } catch {
        entry = null;
      }
      maps.set(file, entry);
    }
    return entry;
  };
  const frame = (site: NodeJS.CallSite): string => {
    const text = site.toString();
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!file || line === null || column === null) return text;
    const path = file.startsWith("file:") ? fileURLToPath(file) : file;
    if (!path.startsWith(folder)) return text;
    const entry = mapOf(file);
    const found = entry?.map.findEntry(line - 1, column - 1);
    if (!entry || !found || !("originalSource" in found)) return text;
    const source = sourceName(found.originalSource, entry.url);
    const position = `${file}:${line}:${column}`;
    return text.replace(position, `${source}:${found.originalLine + 1}:${found.originalColumn + 1}`);
  };
  // Whatever a map holds, a frame it cannot name stays as V8 writes it: a throw here would
  // make every read of `error.stack` throw.
  const safely = (site: NodeJS.CallSite): string => {
    try {
      return frame(site);
    } catch {
      return site.toString();
    }
  };
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
    const header = Error.prototype.toString.call(error);
    return sites.length === 0 ? header : `${header}\n${sites.map((site) => `    at ${safely(site)}`).join("\n")}`;
  };
}
