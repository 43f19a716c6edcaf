import { answerError } from "../../src/chat/errors.js";
import { moveFormView, requestFormView } from "../../src/chat/forms.js";
import { commandLimitReached } from "../../src/chat/handle-command.js";
import { helpView, unknownCommandLead } from "../../src/chat/help.js";
import { homeView } from "../../src/chat/home.js";
import { buildMoveForm } from "../../src/chat/interactions/move-form.js";
import { type InteractionDeps, outcomeMessage } from "../../src/chat/interactions/outcome.js";
import { cardFor } from "../../src/chat/interactions/request-outcomes.js";
import { withCalendarLink } from "../../src/chat/owed-calendar.js";
import {
  myRequestsView,
  noticeView,
  queueView,
  receivedCardView,
  requestDetailView,
  requesterCardView,
  triageCardView,
  withBanner,
} from "../../src/chat/present.js";
import {
  caseView,
  milestoneSubject,
  reminderDoneView,
  reminderView,
  subscriptionsView,
  upcomingView,
} from "../../src/chat/present-cases.js";
import { lowRatingView, surveyFormView, surveyView } from "../../src/chat/present-feedback.js";
import { followerCardView } from "../../src/chat/present-lifecycle.js";
import { reportView, statusChecksView } from "../../src/chat/present-report.js";
import { digestView, nudgeView } from "../../src/chat/present-service.js";
import { awayPeriodsView, skillsView, templatesView } from "../../src/chat/present-workbench.js";
import type { ConfirmView, FormView, MessageView } from "../../src/chat/views.js";
import type { CoreDeps } from "../../src/core/deps.js";
import { REQUEST_STATUSES } from "../../src/core/domain.js";
import { AppError } from "../../src/core/errors.js";
import type { SurveyRecord } from "../../src/core/feedback/ports.js";
import type { Actor, CaseRecord, MaRequest, Milestone } from "../../src/core/model.js";
import { movesForPerson } from "../../src/core/requests/workflow.js";
import { serviceReport } from "../../src/core/service-levels/report.js";
import { modalFailureView } from "../../src/slack/listeners/modals.js";

/**
 * Every view the bot can send, registered once: the accessibility test renders each sample
 * on Slack and Teams and checks the rules. The test lists the functions in src/ that return
 * a view (MessageView, FormView, a Slack modal or home, an Adaptive Card) and fails for any
 * without an entry here, so a view added later is checked from its first day.
 *
 * To register a new view: add `"src/<file>.ts#<function>": (ctx) => [sample, …]` with the
 * states it can be in (each status, empty and full lists, with errors). A function that only
 * wraps another registered one may say `{ coveredBy: "src/<file>.ts#<function>", why }`.
 */

export type Sample =
  | { name: string; message: MessageView }
  | { name: string; form: FormView }
  /** Slack's App Home (with its New request button) and the same view as a Teams card. */
  | { name: string; home: MessageView }
  /** Teams' confirm step of a button that asks first. */
  | { name: string; confirm: { verb: string; value: string; confirm: ConfirmView } };

export interface FixtureContext {
  core: CoreDeps;
  interaction: InteractionDeps;
  requester: Actor;
  faculty: Actor;
  /** A request filed through the core, waiting for triage. */
  filed: MaRequest;
}

export type Fixture = ((ctx: FixtureContext) => Sample[] | Promise<Sample[]>) | { coveredBy: string; why: string };

/** The zone instants are shown in (a reader's, or REMINDER_TIMEZONE). */
const ZONE = "America/New_York";
const person = (id: string, displayName: string) => ({ id, displayName, identityKeys: [`slack:${id.toUpperCase()}`] });
const REQUESTER = person("u-req", "Jordan Lee");
const LEAD = person("u-lead", "Dana Ruiz");

/** A request in any status, with every optional part filled where the status has it. */
export function sampleRequest(status: MaRequest["status"], overrides: Partial<MaRequest> = {}): MaRequest {
  const at = new Date("2026-03-02T17:00:00Z");
  return {
    id: `r-${status}`,
    number: "MA-2026-0007",
    status,
    version: 3,
    requester: REQUESTER,
    form: {
      organization: "PEO Soldier, International Programs",
      component: "ARMY",
      program: "Night vision devices for Bandaria",
      effortTypes: ["FMS", "BPC"],
      supportType: "DOCUMENT_REVIEW",
      lifecyclePhase: "LOR",
      relatedCases: ["BN-B-SAA", "XX-D-AAA"],
      problemStatement: "We need help preparing an LOR response and pricing approach for a complex case.",
      desiredOutcome: "A draft LOA pricing plan",
      audienceSize: 12,
      preferredStart: "2026-04-06",
      preferredEnd: "2026-04-08",
      deliveryMode: "HYBRID",
      location: "Fort Belvoir",
      travelFunded: true,
      pocName: "Jordan Lee",
      pocEmail: "jordan.lee@army.mil",
    },
    eligibilityCheck: false,
    ...(["ACCEPTED", "SCHEDULED", "DELIVERED"].includes(status) ? { lead: LEAD } : {}),
    ...(["SCHEDULED", "DELIVERED"].includes(status) ? { scheduledStart: "2026-04-06", scheduledEnd: "2026-04-07" } : {}),
    ...(status === "DECLINED" ? { declineReason: "NO_CAPACITY" as const } : {}),
    ...(status === "NEEDS_INFO" ? { question: "Which LOA line items?" } : {}),
    statusSince: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const mailed = () =>
  sampleRequest("SUBMITTED", {
    intake: {
      title: "Help with an LOR",
      missingFields: ["preferredStart", "pocEmail"],
      attachments: [{ name: "lor.pdf", size: 20480 }],
      heldMail: 1,
    },
  });

const everyStatus = <T>(draw: (request: MaRequest) => T) => REQUEST_STATUSES.map((status) => draw(sampleRequest(status)));

const CASE: CaseRecord = {
  id: "BN-D-YAB",
  title: "F-16 sustainment",
  partner: "Bandaria",
  programOffice: "SAF/IA",
  status: "IMPLEMENTED",
  type: "FMS",
  category: "C",
  masked: false,
};
const MILESTONE: Milestone = { id: "m1", caseId: "BN-D-YAB", type: "OED", dueDate: "2026-03-16", note: "Partner signs in person" };
const DONE: Milestone = {
  id: "m2",
  caseId: "BN-D-YAB",
  type: "LOR_RECEIVED",
  dueDate: "2026-01-05",
  completedDate: "2026-01-04",
  note: "",
};
const CONFIRM: ConfirmView = {
  title: "Mark done?",
  text: "Mark OED for BN-D-YAB done? Its reminders stop for everyone.",
  yes: "Mark done",
  no: "Cancel",
};

const nudge = (audience: "triage-card" | "admins" | "requester" | "asker" | "lead", stage: MaRequest["status"]) => ({
  stage,
  since: "2026-02-20T17:00:00Z",
  level: 1 as const,
  audience,
  waited: 4,
  serviceLevel: 2,
});

const SURVEY: SurveyRecord = { requestId: "r-DELIVERED", sentAt: new Date("2026-03-12T13:00:00Z"), expiresOn: "2026-04-01", comment: "" };

export const VIEW_FIXTURES: Record<string, Fixture> = {
  "src/chat/present.ts#triageCardView": () => [
    ...everyStatus((request) => ({
      name: `triage card, ${request.status}`,
      message: triageCardView(request, ZONE, "Accepted by Dana Ruiz"),
    })),
    { name: "triage card of a mailed request", message: triageCardView(mailed(), ZONE) },
    {
      name: "triage card, a case not on file",
      message: triageCardView(sampleRequest("SUBMITTED"), ZONE, undefined, { notOnFile: ["BN-B-SAA"] }),
    },
  ],
  "src/chat/present.ts#requesterCardView": () =>
    everyStatus((request) => ({
      name: `requester card, ${request.status}`,
      message: requesterCardView(request, `Your request ${request.number} was received.`, movesForPerson(REQUESTER, request), ZONE),
    })),
  "src/chat/present.ts#receivedCardView": () =>
    everyStatus((request) => ({ name: `received card redrawn, ${request.status}`, message: receivedCardView(request, ZONE) })),
  "src/chat/present.ts#requestDetailView": () => [
    {
      name: "show, faculty",
      message: requestDetailView(
        {
          request: sampleRequest("NEEDS_INFO"),
          history: [
            {
              id: "e1",
              requestId: "r",
              actor: REQUESTER,
              action: "submit",
              toStatus: "SUBMITTED",
              note: "",
              at: new Date("2026-03-01T12:00:00Z"),
            },
            {
              id: "e2",
              requestId: "r",
              actor: LEAD,
              action: "askInfo",
              toStatus: "NEEDS_INFO",
              note: "Which LOA line items?",
              at: new Date(),
            },
          ],
          moves: ["accept", "decline"],
          waiting: { workingDays: 3, serviceLevel: 2 },
          relatedCases: { shown: ["BN-B-SAA"], hidden: 1, notOnFile: ["BN-B-SAA"] },
        },
        ZONE,
      ),
    },
  ],
  "src/chat/present.ts#myRequestsView": () => [
    { name: "my requests, none", message: myRequestsView([], "/ma ") },
    {
      name: "my requests",
      message: myRequestsView(
        everyStatus((request) => request),
        "/ma ",
      ),
    },
  ],
  "src/chat/present.ts#queueView": () => [
    { name: "queue, empty", message: queueView([]) },
    { name: "queue", message: queueView([{ request: sampleRequest("SUBMITTED", { eligibilityCheck: true }), waitingMs: 3 * 86_400_000 }]) },
  ],
  "src/chat/present.ts#withBanner": () => [
    {
      name: "stale card with a banner",
      message: withBanner(triageCardView(sampleRequest("ACCEPTED"), ZONE), "This request changed since you saw it."),
    },
  ],
  "src/chat/present.ts#noticeView": () => [{ name: "notice", message: noticeView('Saved reply "lor" removed.') }],
  "src/chat/present-cases.ts#caseView": () => [
    {
      name: "case",
      message: caseView({
        caseRecord: CASE,
        milestones: [MILESTONE, DONE],
        computed: [{ label: "Standard OED", date: "2026-05-01", basis: "MILAP + 85 days" }],
        linkedRequests: [sampleRequest("SCHEDULED")],
        marking: "CUI",
      } as Parameters<typeof caseView>[0]),
    },
  ],
  "src/chat/present-cases.ts#upcomingView": () => [
    { name: "upcoming, none", message: upcomingView([], 14) },
    {
      name: "upcoming",
      message: upcomingView(
        [
          { kind: "milestone", date: "2026-03-16", daysLeft: 10, milestone: MILESTONE, caseRecord: CASE },
          { kind: "request", date: "2026-04-06", daysLeft: 30, request: sampleRequest("SCHEDULED") },
        ],
        14,
      ),
    },
  ],
  "src/chat/present-cases.ts#subscriptionsView": () => [
    { name: "subscriptions, none", message: subscriptionsView([], false) },
    {
      name: "subscriptions, all",
      message: subscriptionsView(
        [
          {
            id: "s1",
            platform: "slack",
            conversationId: "C0PMO",
            target: { type: "case", id: "BN-D-YAB" },
            createdById: "x",
            disabledReason: "",
          },
          {
            id: "s2",
            platform: "teams",
            conversationId: "19:abc",
            target: { type: "request", id: "r1" },
            createdById: "x",
            disabledReason: "the subscriber may no longer see the request",
          },
        ],
        true,
      ),
    },
  ],
  "src/chat/present-cases.ts#reminderView": () => [
    { name: "milestone reminder, channel", message: reminderView(milestoneSubject(CASE, MILESTONE, false), 14, "o1", "/ma ") },
    {
      name: "milestone reminder, personal",
      message: reminderView(milestoneSubject(CASE, MILESTONE, true), -1, "o1", "/ma ", "Snoozed by Dana"),
    },
    { name: "session reminder", message: reminderView({ kind: "request", request: sampleRequest("SCHEDULED") }, 1, "o2", "") },
  ],
  "src/chat/present-cases.ts#reminderDoneView": () => [
    {
      name: "reminder marked done",
      message: reminderDoneView(
        milestoneSubject(CASE, MILESTONE, false) as Parameters<typeof reminderDoneView>[0],
        { by: "Dana Ruiz", on: "2026-03-02" },
        "o1",
        "/ma ",
      ),
    },
  ],
  "src/chat/present-report.ts#reportView": async ({ core, faculty }) => [
    { name: "report", message: reportView(await serviceReport(core, faculty, "2026-02-01", "2026-03-02")) },
  ],
  "src/chat/present-report.ts#statusChecksView": () => [
    { name: "status checks", message: statusChecksView(["✓ database: reachable, migrated", "✗ Slack: token refused (invalid_auth)"]) },
  ],
  "src/chat/present-service.ts#nudgeView": () => [
    { name: "nudge, triage card", message: nudgeView(sampleRequest("SUBMITTED"), nudge("triage-card", "SUBMITTED"), "/ma ", ZONE) },
    { name: "nudge, admins", message: nudgeView(sampleRequest("SUBMITTED"), nudge("admins", "SUBMITTED"), "/ma ", ZONE) },
    { name: "nudge, requester", message: nudgeView(sampleRequest("NEEDS_INFO"), nudge("requester", "NEEDS_INFO"), "/ma ", ZONE) },
    { name: "nudge, asker", message: nudgeView(sampleRequest("NEEDS_INFO"), nudge("asker", "NEEDS_INFO"), "/ma ", ZONE) },
    {
      name: "nudge, lead covering",
      message: nudgeView(
        sampleRequest("ACCEPTED"),
        { ...nudge("lead", "ACCEPTED"), coveringFor: { name: "Lee Park", until: "2026-03-09" } },
        "",
        ZONE,
      ),
    },
    { name: "nudge, lead delivered?", message: nudgeView(sampleRequest("SCHEDULED"), nudge("lead", "SCHEDULED"), "", ZONE) },
  ],
  "src/chat/present-service.ts#digestView": () => [
    {
      name: "digest",
      message: digestView(
        {
          day: "2026-03-02",
          waitingForTriage: [{ request: sampleRequest("SUBMITTED"), waited: 3 }],
          awaitingAnswers: [{ request: sampleRequest("NEEDS_INFO"), waited: 1 }],
          sessionsThisWeek: [sampleRequest("SCHEDULED")],
          pastServiceLevel: [
            { request: sampleRequest("SUBMITTED"), waited: 3, serviceLevel: 2 },
            { request: sampleRequest("SCHEDULED"), waited: 1, serviceLevel: 0 },
          ],
        } as Parameters<typeof digestView>[0],
        "/ma ",
      ),
    },
  ],
  "src/chat/present-workbench.ts#templatesView": () => [
    { name: "templates, none", message: templatesView([], "/ma ") },
    {
      name: "templates",
      message: templatesView(
        [{ id: "t1", name: "lor", text: "Please send the LOR for {id}.", createdById: "x", createdAt: new Date() }],
        "/ma ",
      ),
    },
  ],
  "src/chat/present-workbench.ts#awayPeriodsView": () => [
    {
      name: "away periods",
      message: awayPeriodsView([{ personId: "p", from: "2026-03-09", to: "2026-03-13", note: "TDY", backup: LEAD }], "You are away:"),
    },
  ],
  "src/chat/present-workbench.ts#skillsView": () => [
    { name: "skills, none", message: skillsView([], "/ma ", false) },
    { name: "skills", message: skillsView(["fms", "loa"], "/ma ", true) },
  ],
  "src/chat/help.ts#helpView": () => [
    { name: "help", message: helpView({ prefix: "/ma ", contactEmail: "dsmc-i@dau.edu" }) },
    { name: "help after an unknown word", message: helpView({ prefix: "", lead: unknownCommandLead("queu", "", "queue") }) },
  ],
  "src/chat/home.ts#homeView": async ({ core, requester, faculty }) => [
    { name: "home, requester", home: await homeView(core, requester, { prefix: "/ma " }) },
    { name: "home, faculty", home: await homeView(core, faculty, { prefix: "", contactEmail: "dsmc-i@dau.edu" }) },
  ],
  "src/chat/forms.ts#requestFormView": () => [
    { name: "request form", form: requestFormView() },
    {
      name: "request form with errors",
      form: requestFormView({
        values: { problemStatement: "short" },
        errors: { problemStatement: "Problem statement needs at least 20 characters", relatedCases: '"XYZ": id is too short' },
        notice: "Could not save; your input is kept.",
      }),
    },
    { name: "edit form", form: requestFormView({ editing: sampleRequest("SUBMITTED") }) },
  ],
  "src/chat/forms.ts#moveFormView": () =>
    (["accept", "askInfo", "decline", "schedule", "deliver", "answer", "withdraw"] as const).map((kind) => ({
      name: `${kind} form`,
      form: moveFormView(kind, sampleRequest(kind === "deliver" ? "SCHEDULED" : "NEEDS_INFO"), {
        templates: [{ id: "t1", name: "lor", text: "Please send the LOR.", createdById: "x", createdAt: new Date() }],
        errors: kind === "decline" ? { reason: "Choose a reason" } : {},
      }),
    })),
  "src/chat/interactions/move-form.ts#buildMoveForm": async ({ core, faculty, filed }) => [
    { name: "accept form with the lead picker", form: await buildMoveForm(core, faculty, "accept", filed) },
    { name: "ask form for faculty", form: await buildMoveForm(core, faculty, "askInfo", filed) },
  ],
  "src/chat/interactions/outcome.ts#outcomeMessage": () => [
    {
      name: "stale outcome",
      message: outcomeMessage({
        kind: "stale",
        notice: noticeView("MA-2026-0007 changed since you saw it."),
        current: triageCardView(sampleRequest("ACCEPTED"), ZONE),
      }),
    },
    { name: "refused outcome", message: outcomeMessage({ kind: "refused", notice: noticeView("Only faculty can accept requests.") }) },
  ],
  "src/chat/interactions/request-outcomes.ts#cardFor": async ({ core, faculty, requester, filed }) => [
    { name: "card for faculty", message: await cardFor(core, faculty, filed, "Edited by Jordan Lee") },
    { name: "card for the requester", message: await cardFor(core, requester, filed) },
  ],
  "src/chat/errors.ts#answerError": () => [
    { name: "refusal", message: answerError(new AppError("FORBIDDEN", "Only faculty can see the triage queue."), () => {}, {}) },
    { name: "apology", message: answerError(new Error("boom"), () => {}, {}) },
  ],
  "src/chat/handle-command.ts#commandLimitReached": ({ interaction, requester }) => {
    const limited: InteractionDeps = {
      ...interaction,
      core: {
        ...interaction.core,
        limits: {
          commands: {
            take: () => {
              throw new AppError("LIMITED", "Too many commands at once: wait a minute, then try again.");
            },
          },
        } as unknown as NonNullable<CoreDeps["limits"]>,
      },
    };
    const view = commandLimitReached(limited, { key: requester.identityKey }, { kind: "list" });
    return view ? [{ name: "command limit", message: view }] : [];
  },
  "src/slack/listeners/modals.ts#modalFailureView": () =>
    [
      modalFailureView({ data: { error: "expired_trigger_id" } }, "type /ma new"),
      modalFailureView({ code: "slack_webapi_rate_limited_error", retryAfter: 12 }, "type /ma new"),
      modalFailureView({ code: "slack_webapi_request_error" }, "press the button"),
    ].flatMap((view, index) => (view ? [{ name: `modal failure ${index}`, message: view }] : [])),
  "src/teams/cards.ts#renderConfirmCard": () => [
    { name: "Teams confirm step", confirm: { verb: "ma_milestoneDone", value: "{}", confirm: CONFIRM } },
  ],
  // After delivery: notes, reopen and merge answer with a notice; followers get their own card.
  "src/chat/lifecycle.ts#runNote": { coveredBy: "src/chat/present.ts#noticeView", why: "answers with a notice" },
  "src/chat/lifecycle.ts#runReopen": { coveredBy: "src/chat/present.ts#noticeView", why: "answers with a notice" },
  "src/chat/lifecycle.ts#runMerge": { coveredBy: "src/chat/present.ts#noticeView", why: "answers with a notice" },
  "src/chat/present-lifecycle.ts#followerCardView": () =>
    everyStatus((request) => ({
      name: `follower card, ${request.status}`,
      message: followerCardView(request, `${request.number}: Accepted by Dana Ruiz`, ZONE),
    })),
  "src/chat/owed-calendar.ts#withCalendarLink": () => [
    {
      name: "schedule notice with an Add to Outlook link",
      message: withCalendarLink(
        requesterCardView(sampleRequest("SCHEDULED"), "MA-2026-0007: Scheduled by Dana Ruiz", [], ZONE),
        { platforms: ["slack"], triageChannels: new Map(), timeZone: ZONE, calendar: { cloud: "public", timeZone: ZONE } },
        sampleRequest("SCHEDULED", { scheduledStart: "2026-03-09", scheduledEnd: "2026-03-10" }),
        { kind: "schedule", fromStatus: "ACCEPTED", actorId: "u-lead" },
      ),
    },
  ],
  "src/chat/present-feedback.ts#surveyView": () => [
    { name: "survey in chat", message: surveyView(sampleRequest("DELIVERED"), SURVEY, false) },
    { name: "survey by mail", message: surveyView(sampleRequest("DELIVERED"), SURVEY, true) },
  ],
  "src/chat/present-feedback.ts#surveyFormView": () => [
    { name: "survey form", form: surveyFormView(sampleRequest("DELIVERED"), { rating: "4" }) },
    { name: "survey form with an error", form: surveyFormView(sampleRequest("DELIVERED"), {}, { rating: "Choose a rating from 1 to 5." }) },
  ],
  "src/chat/present-feedback.ts#lowRatingView": () => [
    {
      name: "low rating to the lead and admins",
      message: lowRatingView(sampleRequest("DELIVERED"), { ...SURVEY, rating: 2, comment: "The pricing part was skipped." }),
    },
  ],
};

/** The renderers themselves: every sample goes through them, so they need no fixture of their own. */
export const RENDERERS = new Set([
  "src/slack/blocks.ts#renderHome",
  "src/slack/blocks.ts#renderModal",
  "src/slack/blocks.ts#renderNoticeModal",
  "src/teams/cards.ts#renderCard",
  "src/teams/form-cards.ts#renderFormCard",
  "src/teams/card-text.ts#card",
]);
