import { labelOf } from "../core/domain.js";
import type { FeedbackReport } from "../core/feedback/feedback-report.js";
import { ratingLabel } from "../core/feedback/survey.js";
import type { ServiceReport, Spread } from "../core/service-levels/report.js";
import { userText } from "./inert.js";
import type { MessageView, ViewBlock } from "./views.js";

const counts = (values: Record<string, number>) =>
  Object.entries(values)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, count]) => `${labelOf(key)} ${count}`)
    .join(" · ") || "none";

const spreadText = (value: Spread) =>
  value.count === 0
    ? "none yet"
    : `median ${value.median}, 90th percentile ${value.p90} (${value.count} request${value.count === 1 ? "" : "s"})`;

/** The service report as a private answer. */
export function reportView(report: ServiceReport): MessageView {
  const heading = `Mission Assistance report, ${report.from} to ${report.to}`;
  const blocks: ViewBlock[] = [
    { type: "header", text: heading },
    {
      type: "fields",
      fields: [
        { label: "Requests filed", value: String(report.filed) },
        { label: "By status (now)", value: counts(report.byStatus) },
        { label: "By DoD component", value: counts(report.byComponent) },
        { label: "By support type", value: counts(report.bySupportType) },
        { label: "By lifecycle phase", value: counts(report.byPhase) },
        { label: "Working days to triage (accept or decline)", value: spreadText(report.toFirstTriage) },
        { label: "Working days to delivery", value: spreadText(report.toDelivery) },
        { label: "Sessions delivered", value: `${report.delivered.sessions}, total audience ${report.delivered.audience}` },
        {
          label: "Service level breaches",
          value: `triage ${report.breaches.triage} · answers ${report.breaches.answer} · scheduling ${report.breaches.schedule}`,
        },
      ],
    },
  ];
  if (report.openLoad.length > 0) {
    blocks.push({
      type: "text",
      text: `*Open assignments per lead*\n${report.openLoad.map(({ lead, open }) => `${userText(lead)} ${open}`).join("\n")}`,
    });
  }
  if (report.feedback) blocks.push(feedbackBlock(report.feedback));
  blocks.push({
    type: "context",
    text:
      "Counted from the audit trail; days are working days (no weekends or federal holidays). " +
      "Times to triage and to delivery leave out the days spent waiting on the requester's answer (the clock is paused then).",
  });
  return { text: heading, blocks };
}

/** The doctor's checks as an admin's private answer: one line each, ✓ or ✗ with its words. */
export function statusChecksView(lines: string[]): MessageView {
  return {
    text: "Mission Assist checks",
    blocks: [
      { type: "header", text: "Mission Assist checks" },
      { type: "text", text: lines.map(userText).join("\n") },
    ],
  };
}

/** Surveys sent in the period: how many answered, the average and each rating's count, by component and by lead. */
function feedbackBlock(feedback: FeedbackReport): ViewBlock {
  if (feedback.sent === 0) return { type: "text", text: "*Feedback*\nNo surveys sent in this period." };
  const ratings = Object.entries(feedback.distribution)
    .map(([rating, count]) => `${ratingLabel(Number(rating))}: ${count}`)
    .join(" · ");
  const group = (groups: FeedbackReport["byComponent"], label: (key: string) => string) =>
    groups.map((item) => `${label(item.key)} ${item.answered} of ${item.sent}, average ${item.average ?? "-"}`).join(" · ");
  return {
    type: "text",
    text: [
      "*Feedback*",
      `${feedback.sent} survey(s) sent, ${feedback.answered} answered (${feedback.responseRate}%), average ${feedback.average ?? "-"} of 5`,
      ratings,
      `By DoD component: ${group(feedback.byComponent, labelOf)}`,
      `By lead: ${group(feedback.byLead, userText)}`,
    ].join("\n"),
  };
}
