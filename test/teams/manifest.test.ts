import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { COMMAND_WORDS } from "../../src/chat/commands.js";
import { moveFormView, requestFormView } from "../../src/chat/forms.js";
import { surveyFormView } from "../../src/chat/present-feedback.js";
import { FORM_IDS, type MoveFormId } from "../../src/chat/views.js";
import { renderFormCard } from "../../src/teams/cards.js";
import { CARD_VERSION, FORM_VERBS, formFromVerb } from "../../src/teams/ids.js";

const dir = new URL("../../manifests/teams/", import.meta.url);
// biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's placeholder syntax, not a JS template.
const PLACEHOLDER = "${{MICROSOFT_APP_ID}}";
const manifest = JSON.parse(await readFile(new URL("manifest.json", dir), "utf8"));

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("Teams manifest", () => {
  it("has the required fields of a v1.17 app manifest", () => {
    for (const key of ["$schema", "manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"])
      expect(manifest[key]).toBeDefined();
    expect(manifest.manifestVersion).toBe("1.17");
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    for (const url of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) expect(manifest.developer[url]).toMatch(/^https:\/\//);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
  });

  it("declares the bot in personal, team and group chat with the app id placeholder", () => {
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(PLACEHOLDER);
    expect(manifest.id).toBe(PLACEHOLDER);
    expect(bot.scopes).toEqual(["personal", "team", "groupChat"]);
  });

  it("lists every command the code understands, at most 10 a list (Teams' limit)", () => {
    const lists = manifest.bots[0].commandLists as Array<{ commands: Array<{ title: string }> }>;
    for (const list of lists) expect(list.commands.length).toBeLessThanOrEqual(10);
    const titles = new Set(lists.flatMap((list) => list.commands.map((command) => command.title)));
    expect([...titles].sort()).toEqual([...COMMAND_WORDS].sort());
  });

  it("ships valid icons: color 192×192, outline 32×32", async () => {
    expect(pngSize(await readFile(new URL(manifest.icons.color, dir)))).toEqual({ width: 192, height: 192 });
    expect(pngSize(await readFile(new URL(manifest.icons.outline, dir)))).toEqual({ width: 32, height: 32 });
  });

  it("renders forms as 1.5 cards whose submit verbs the code routes", () => {
    const request = { id: "r", version: 1, number: "MA-2026-0001", form: { organization: "o", program: "p" } } as never;
    const forms = [
      requestFormView(),
      surveyFormView(request, {}),
      ...FORM_IDS.filter((id) => id !== "request" && id !== "survey").map((id) => moveFormView(id as MoveFormId, request)),
    ];
    for (const form of forms) {
      const card = renderFormCard(form);
      expect(card.version).toBe(CARD_VERSION);
      expect(FORM_VERBS).toContain(card.actions?.[0]?.verb);
      expect(formFromVerb(card.actions?.[0]?.verb)).toBe(form.id);
    }
  });

  it("packages the app with the id filled in", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "ma-teams-"));
    try {
      const appId = "11111111-2222-3333-4444-555555555555";
      const run = promisify(execFile);
      const root = new URL("../../", import.meta.url).pathname;
      await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/teams-package.ts"], {
        cwd: root,
        env: { ...process.env, MICROSOFT_APP_ID: appId },
      });
      const zip = unzipSync(await readFile(path.join(root, "manifests/teams/build/mission-assist-teams.zip")));
      expect(Object.keys(zip).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
      const packed = JSON.parse(new TextDecoder().decode(zip["manifest.json"]));
      expect([packed.id, packed.bots[0].botId]).toEqual([appId, appId]);
      const refused = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/teams-package.ts"], {
        cwd: root,
        env: { ...process.env, MICROSOFT_APP_ID: "" },
      }).catch((error) => error);
      expect(refused.code).toBe(2);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
