import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_ICONS } from "../../src/chat/format.js";
import { plainText } from "../../src/chat/inert.js";
import type { FormView } from "../../src/chat/views.js";
import { labelOf } from "../../src/core/domain.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { type Block, renderHome, renderMessage, renderModal, renderNoticeModal } from "../../src/slack/blocks.js";
import { type CardElement, renderCard, renderConfirmCard, renderFormCard } from "../../src/teams/cards.js";
import { actorWith, coreDeps, interactionDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type FixtureContext, RENDERERS, type Sample, VIEW_FIXTURES } from "./view-fixtures.js";

/**
 * Section 508 / WCAG 2.1 AA as they apply to chat cards, checked on what each platform is
 * sent (Block Kit and Adaptive Card JSON) for every view the bot can send:
 * 1. every input has a visible label (not a placeholder only) that says whether it is required;
 * 2. every button has text with words (an emoji alone never carries meaning); a Slack button
 *    whose text is short (3 words or fewer) has an `accessibility_label` that starts with it;
 * 3. status is never shown by colour or emoji alone: a line with an emoji has words, a status
 *    icon is followed by its status word, coloured text and styled buttons have words;
 * 4. images have alt text;
 * 5. Teams cards set `speak`;
 * 6. long cards (over 5 blocks or 600 characters) have a heading: Slack a header block, Teams a
 *    TextBlock with style "heading" (what screen readers announce as a heading).
 */

const SRC = path.resolve(import.meta.dirname, "../../src");
const VIEW_TYPES = /\b(MessageView|FormView|HomeView|ModalView|AdaptiveCard)\b/;

/** `src/<file>.ts#<function>` for every exported function in src/ whose return type is a view. */
function viewFunctions(): string[] {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter(
    (file) => file.endsWith(".ts") && !file.split(path.sep).includes("generated"),
  );
  const found: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(SRC, file), "utf8"), ts.ScriptTarget.Latest, true);
    const exported = (node: ts.Node) =>
      ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const key = (name: string) => `src/${file.split(path.sep).join("/")}#${name}`;
    for (const node of source.statements) {
      if (ts.isFunctionDeclaration(node) && node.name && node.type && VIEW_TYPES.test(node.type.getText(source)) && exported(node)) {
        found.push(key(node.name.text));
      }
      if (ts.isVariableStatement(node) && exported(node)) {
        for (const declaration of node.declarationList.declarations) {
          const init = declaration.initializer;
          if (
            init &&
            (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) &&
            init.type &&
            VIEW_TYPES.test(init.type.getText(source))
          ) {
            found.push(key(declaration.name.getText(source)));
          }
        }
      }
    }
  }
  return found.sort();
}

const WORDS = /\p{L}{2,}/u;
const EMOJI = /[\p{Extended_Pictographic}\u2610\u2611\u2713\u2717]/u;
const shortText = (text: string) => text.trim().split(/\s+/).length <= 3;

/** Rule 3 on one piece of text: each line with an emoji has words; each status icon is followed by its status. */
function emojiProblems(text: string, where: string): string[] {
  const problems: string[] = [];
  for (const line of plainText(text).split("\n")) {
    if (EMOJI.test(line) && !WORDS.test(line)) problems.push(`${where}: emoji without words: "${line}"`);
    for (const [status, icon] of Object.entries(STATUS_ICONS)) {
      let at = line.indexOf(icon);
      while (at >= 0) {
        if (
          !line
            .slice(at + icon.length)
            .trimStart()
            .startsWith(labelOf(status))
        ) {
          problems.push(`${where}: status icon ${icon} not followed by "${labelOf(status)}": "${line}"`);
        }
        at = line.indexOf(icon, at + icon.length);
      }
    }
  }
  return problems;
}

function walk(node: unknown, visit: (element: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit);
  else if (node && typeof node === "object") {
    visit(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child, visit);
  }
}

const textOf = (value: unknown) => (value && typeof value === "object" ? String((value as { text?: unknown }).text ?? "") : "");

/** Block Kit: rules 1–4 and 6. */
function slackProblems(blocks: Block[], options: { form?: FormView; long?: boolean; title?: string }): string[] {
  const problems: string[] = [];
  walk(blocks, (element) => {
    if (element.type === "input") {
      const label = textOf(element.label);
      const id = String(element.block_id);
      if (!WORDS.test(label)) problems.push(`input ${id}: no visible label`);
      if (textOf((element.element as Block | undefined)?.placeholder) === label) problems.push(`input ${id}: label is the placeholder`);
      if (typeof element.optional !== "boolean") problems.push(`input ${id}: does not say whether it is required`);
      const field = options.form?.fields.find((item) => item.name === id);
      if (field && element.optional !== !field.required)
        problems.push(`input ${id}: optional is ${element.optional}, field required ${field.required}`);
    }
    if (element.type === "button") {
      const text = textOf(element.text);
      const label = String(element.accessibility_label ?? "");
      if (!WORDS.test(text)) problems.push(`button ${element.action_id}: text without words "${text}"`);
      if (shortText(text) && !(label.toLowerCase().startsWith(text.toLowerCase()) && label.length > text.length)) {
        problems.push(`button "${text}": short text needs an accessibility_label that starts with it (has "${label}")`);
      }
      if (label.length > 75) problems.push(`button "${text}": accessibility_label over 75 characters`);
    }
    if (element.type === "image" && !String(element.alt_text ?? "").trim()) problems.push("image without alt_text");
    if (typeof element.text === "string" && (element.type === "mrkdwn" || element.type === "plain_text")) {
      problems.push(...emojiProblems(element.text, "Slack text"));
    }
  });
  if (options.long && !blocks.some((block) => block.type === "header") && !options.title)
    problems.push("long message without a header block");
  return problems;
}

const runsText = (element: CardElement) => ((element.inlines ?? []) as Array<{ text: string }>).map((run) => run.text).join("");

/** Adaptive Card: rules 1–6. */
function teamsProblems(card: CardElement, options: { form?: FormView; long?: boolean }): string[] {
  const problems: string[] = [];
  if (!String(card.speak ?? "").trim()) problems.push("card without speak");
  walk(card, (element) => {
    const type = String(element.type ?? "");
    if (type.startsWith("Input.")) {
      const label = String(element.label ?? "");
      const id = String(element.id);
      if (!WORDS.test(label)) problems.push(`input ${id}: no visible label`);
      if (element.placeholder !== undefined && element.placeholder === label) problems.push(`input ${id}: label is the placeholder`);
      const says = element.isRequired === true ? "required" : /\((required|optional)\)/.exec(label)?.[1];
      if (!says) problems.push(`input ${id}: label "${label}" does not say whether it is required`);
      const field = options.form?.fields.find((item) => item.name === id);
      if (field && says && (says === "required") !== field.required)
        problems.push(`input ${id}: says ${says}, field required ${field.required}`);
      if (type === "Input.Text" && element.maxLength !== undefined) problems.push(`input ${id}: maxLength cuts a longer paste silently`);
    }
    if (type.startsWith("Action.")) {
      const title = String(element.title ?? "");
      if (!WORDS.test(title)) problems.push(`button without words "${title}"`);
    }
    if (type === "Image" && !String(element.altText ?? "").trim()) problems.push("image without altText");
    if (type === "RichTextBlock") {
      const text = runsText(element);
      problems.push(...emojiProblems(text, "Teams text"));
      const coloured = ((element.inlines ?? []) as CardElement[]).some((run) => run.color);
      if (coloured && !WORDS.test(text)) problems.push(`colour without words: "${text}"`);
    }
    if (type === "TextBlock") {
      problems.push(...emojiProblems(String(element.text), "Teams text"));
      if (element.color && !WORDS.test(String(element.text))) problems.push(`colour without words: "${element.text}"`);
    }
  });
  const headed = JSON.stringify(card.body).includes('"style":"heading"');
  if (options.long && !headed) problems.push("long card without a heading (TextBlock style heading)");
  return problems;
}

/** Long: more than 5 blocks or 600 characters of text. */
const isLong = (blocks: unknown[]) => blocks.length > 5 || JSON.stringify(blocks).length > 600 * 2;

function problemsOf(sample: Sample): string[] {
  if ("form" in sample) {
    const modal = renderModal(sample.form) as unknown as Block;
    return [
      ...slackProblems(modal.blocks as Block[], { form: sample.form, title: textOf(modal.title) }),
      ...teamsProblems(renderFormCard(sample.form), { form: sample.form, long: true }),
    ];
  }
  if ("confirm" in sample) {
    const { verb, value, confirm } = sample.confirm;
    return teamsProblems(renderConfirmCard(verb, value, confirm), {});
  }
  const view = "home" in sample ? sample.home : sample.message;
  const long = isLong(view.blocks);
  const slack = renderMessage(view);
  return [
    ...emojiProblems(slack.text, "Slack notification text"),
    ...slackProblems(slack.blocks, { long }),
    ...slackProblems((renderNoticeModal("Mission Assist", view) as unknown as Block).blocks as Block[], { long, title: "Mission Assist" }),
    ...("home" in sample ? slackProblems((renderHome(view) as unknown as Block).blocks as Block[], { long: true }) : []),
    ...teamsProblems(renderCard(view), { long }),
  ];
}

describe("the registry of views", () => {
  it("has a fixture for every function in src/ that returns a view, and none for functions that are gone", () => {
    const functions = viewFunctions();
    const registered = new Set([...Object.keys(VIEW_FIXTURES), ...RENDERERS]);
    const missing = functions.filter((name) => !registered.has(name));
    // A new view: add its samples to test/chat/view-fixtures.ts (VIEW_FIXTURES), keyed "src/<file>.ts#<function>".
    expect(missing, "views without a fixture in test/chat/view-fixtures.ts").toEqual([]);
    expect(
      [...registered].filter((name) => !functions.includes(name)),
      "fixtures for functions that no longer exist",
    ).toEqual([]);
    for (const fixture of Object.values(VIEW_FIXTURES)) {
      if (typeof fixture !== "function") expect(registered.has(fixture.coveredBy), fixture.coveredBy).toBe(true);
    }
  });
});

describe.each(DATABASE_KINDS)("accessibility of every view on Slack and Teams ($name)", (kind) => {
  let db: TestDatabase;
  let context: FixtureContext;
  const samples: Array<{ key: string; sample: Sample }> = [];

  beforeAll(async () => {
    db = await kind.create();
    const core = coreDeps(db.database);
    const requester = await actorWith(core, "slack:UREQ", "Jordan Lee");
    const faculty = await actorWith(core, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
    const submitted = await submitRequest(core, { actor: requester, raw: validForm(), platform: "slack" });
    if (!submitted.ok) throw new Error("invalid form");
    context = { core, interaction: interactionDeps(core), requester, faculty, filed: submitted.request };
    for (const [key, fixture] of Object.entries(VIEW_FIXTURES)) {
      if (typeof fixture !== "function") continue;
      for (const sample of await fixture(context)) samples.push({ key, sample });
    }
  });
  afterAll(() => db.dispose());

  it("draws at least one sample of every registered view", () => {
    const drawn = new Set(samples.map((item) => item.key));
    const empty = Object.entries(VIEW_FIXTURES)
      .filter(([key, fixture]) => typeof fixture === "function" && !drawn.has(key))
      .map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it("keeps every rule on every sample", () => {
    const problems = samples.flatMap(({ key, sample }) => problemsOf(sample).map((problem) => `${key} (${sample.name}): ${problem}`));
    expect(problems).toEqual([]);
    // Reported in the README and the closing note.
    console.info(`accessibility: ${Object.keys(VIEW_FIXTURES).length} views, ${samples.length} samples, each on Slack and Teams`);
  });

  it("shows each text field's limit before anyone types, from the numbers the server checks", () => {
    const forms = samples.flatMap(({ sample }) => ("form" in sample ? [sample.form] : []));
    for (const form of forms) {
      const modal = renderModal(form) as unknown as Block;
      const card = renderFormCard(form);
      const cardText = JSON.stringify(card.body.filter((element) => element.type === "RichTextBlock").map(runsText));
      for (const field of form.fields.filter((item) => item.maxLength)) {
        const limit = (field.maxLength ?? 0).toLocaleString("en-US");
        const block = (modal.blocks as Block[]).find((item) => item.block_id === field.name);
        expect([form.id, field.name, textOf(block?.hint)]).toEqual([form.id, field.name, expect.stringContaining(`${limit} characters`)]);
        expect(cardText).toContain(`${limit} characters`);
      }
    }
  });

  it("catches a view that breaks the rules", () => {
    const broken: Sample = {
      name: "broken",
      message: {
        text: "x",
        blocks: [
          { type: "text", text: "✅" },
          { type: "text", text: "🆕 Waiting" },
          {
            type: "actions",
            actions: [
              { id: "accept", label: "👍", value: "{}" },
              { id: "decline", label: "Decline", value: "{}" },
            ],
          },
          ...Array.from({ length: 4 }, () => ({ type: "divider" as const })),
        ],
      },
    };
    const problems = problemsOf(broken).join("\n");
    for (const expected of [
      "emoji without words",
      'not followed by "Submitted"',
      "text without words",
      "needs an accessibility_label",
      "without a header",
      "without a heading",
    ]) {
      expect(problems).toContain(expected);
    }
  });
});
