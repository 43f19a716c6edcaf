// `npm run teams:package`: writes the Teams app package (manifest.json + icons, zipped)
// with MICROSOFT_APP_ID filled in as the app id and bot id. Upload the zip in Teams
// (Apps → Manage your apps → Upload an app) or through the Teams admin center.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = path.join(root, "manifests", "teams");
const appId = process.env.MICROSOFT_APP_ID?.trim() ?? "";

if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
  console.error("teams:package: set MICROSOFT_APP_ID to the bot's Microsoft App ID (a GUID).");
  process.exit(2);
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's placeholder syntax (Teams Toolkit's), not a JS template.
const PLACEHOLDER = "${{MICROSOFT_APP_ID}}";
const manifest = (await readFile(path.join(source, "manifest.json"), "utf8")).replaceAll(PLACEHOLDER, appId);
JSON.parse(manifest);
const zip = zipSync({
  "manifest.json": new TextEncoder().encode(manifest),
  "color.png": await readFile(path.join(source, "color.png")),
  "outline.png": await readFile(path.join(source, "outline.png")),
});
const outDir = path.join(source, "build");
await mkdir(outDir, { recursive: true });
const outFile = path.join(outDir, "mission-assist-teams.zip");
await writeFile(outFile, zip);
console.log(`Wrote ${path.relative(process.cwd(), outFile)} (${zip.length} bytes) for app ${appId}.`);
