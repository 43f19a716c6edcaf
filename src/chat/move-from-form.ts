import type { DeclineReason } from "../core/domain.js";
import type { Move } from "../core/requests/workflow.js";
import type { MoveFormId } from "./views.js";

/** Turns a submitted move form into the core's Move. */
export function moveFromForm(kind: MoveFormId, values: Record<string, string | undefined>): Move {
  const text = (name: string) => (values[name] ?? "").trim();
  switch (kind) {
    case "accept":
      return { kind, leadId: text("leadId"), note: text("note") || undefined };
    case "askInfo":
      return { kind, question: text("question") };
    case "answer":
      return { kind, answer: text("answer") };
    case "decline":
      return { kind, reason: text("reason") as DeclineReason, note: text("note") || undefined };
    case "schedule":
      return { kind, start: text("start"), end: text("end") };
    case "reschedule":
      return { kind, start: text("start"), end: text("end"), reason: text("reason") };
    case "deliver":
    case "withdraw":
      return { kind, note: text("note") || undefined };
  }
}
