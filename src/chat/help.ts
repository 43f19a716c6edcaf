import { COMMAND_HELP, COMMAND_WORDS, type CommandWord } from "./commands.js";
import type { MessageView, ViewBlock } from "./views.js";

export interface HelpOptions {
  /** MA_CONTACT_EMAIL; help names DAU's International Acquisition Center when unset. */
  contactEmail?: string;
  /** How commands are typed here: "/ma " on Slack, "" on Teams. */
  prefix: string;
  /** Shown first: why help is being shown (unknown word, missing argument). */
  lead?: string;
}

/** Help for a program-office user: what Mission Assistance is, the commands, where to learn more. */
export function helpView(options: HelpOptions): MessageView {
  const contact = options.contactEmail
    ? `Questions: ${options.contactEmail}`
    : "Questions: contact DAU's International Acquisition Center (DSMC-International).";
  const commands = COMMAND_WORDS.map((word) => `\`${options.prefix}${COMMAND_HELP[word].usage}\` — ${COMMAND_HELP[word].does}`);
  const blocks: ViewBlock[] = [
    ...(options.lead ? [{ type: "text" as const, text: options.lead }] : []),
    { type: "header", text: "Mission Assist" },
    {
      type: "text",
      text:
        "Ask DAU International Acquisition Center faculty for *Mission Assistance* with FMS, BPC and International " +
        "Armaments Cooperation work. Help is given on a space-available basis: there is no charge for faculty and " +
        "staff time; your organization funds travel and incidental costs.",
    },
    { type: "text", text: commands.join("\n") },
    { type: "divider" },
    {
      type: "text",
      text:
        "*Job Support Tools* by DAU International Acquisition Center faculty: International Acquisition & Exportability " +
        "(IA&E) Assessment; Acquisition Strategy – International Considerations; FMS – Systems Acquisition; International " +
        "Business Planning.\n" +
        "*Training*: INT 1110 International Acquisition/Security Cooperation Foundation; INT 2110 International " +
        "Acquisition/Security Cooperation Program Management; SC-001 Security Cooperation Familiarization.\n" +
        "*Guidance*: DSCA's Security Assistance Management Manual (SAMM); Joint Publication 3-20; DoD Directive 5132.03.",
    },
    { type: "context", text: contact },
  ];
  return { text: options.lead ?? "Mission Assist help", blocks };
}

/** The lead line for an unknown word: "did you mean" when one is close. */
export function unknownCommandLead(text: string, prefix: string, suggestion?: CommandWord): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return suggestion
    ? `I don't know "${shown}". Did you mean \`${prefix}${COMMAND_HELP[suggestion].usage}\`?`
    : `I don't know "${shown}". Here is what I can do:`;
}

export function usageLead(command: CommandWord, problem: string, prefix: string): string {
  return `${problem} Type \`${prefix}${COMMAND_HELP[command].usage}\`.`;
}
