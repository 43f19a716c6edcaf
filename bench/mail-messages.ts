import MailComposer from "nodemailer/lib/mail-composer";
import { seededRandom } from "./stats.js";

/**
 * Raw MIME mails as program offices send them to the Mission Assistance mailbox, made with
 * nodemailer's MailComposer: distinct senders (a few mails each, far below the bridge's ten
 * new requests per sender and hour), plain text and multipart/alternative with HTML, a few
 * HTML-only (Outlook on the web), `Field: value` lines, quoted history, signatures, and a
 * small attachment in some. The same seed gives the same bytes (dates, ids and MIME
 * boundaries are fixed), so a run's two sides and two runs read the same mails.
 */
export interface BenchMail {
  raw: Buffer;
  from: string;
}

/** Mails per sender at most: the bridge holds the 11th new request from one sender within an hour. */
export const MAILS_PER_SENDER = 3;

const FIRST = ["Jane", "Lee", "Ann", "Omar", "Maria", "Chen", "Kofi", "Priya", "Tom", "Rosa", "Ivan", "Aiko", "Sam", "Dana", "Ravi"];
const LAST = ["Smith", "Park", "Ray", "Haddad", "Lopez", "Wei", "Mensah", "Nair", "Brown", "Diaz", "Petrov", "Sato", "Kerr", "Cole"];
const OFFICES = [
  { domain: "army.example.mil", component: "Army", office: "PEO Missiles and Space" },
  { domain: "navy.example.mil", component: "Navy", office: "NIPO" },
  { domain: "af.example.mil", component: "Air Force", office: "SAF/IA" },
  { domain: "usmc.example.mil", component: "Marine Corps", office: "MARCORSYSCOM IP" },
  { domain: "dla.example.mil", component: "DLA", office: "DLA Disposition Services" },
  { domain: "dsca.example.mil", component: "DSCA", office: "DSCA Directorate of Security Assistance" },
];
const PROGRAMS = ["LTAMDS", "F-16 Block 70", "MH-60R", "Patriot PAC-3", "C-130J sustainment", "JLTV", "AMRAAM", "Stryker"];
const NEEDS = [
  "Our program office needs help preparing the LOA for a partner nation's air defense buy.",
  "We are building the pricing of the training lines and would like a review before the LOR goes out.",
  "Could DAU run a short workshop on total package approach for our new case managers?",
  "The partner asked about a hybrid FMS/DCS approach and we are not sure how to structure it.",
  "We need advice on the transportation plan and the DTC codes for the follow-on support case.",
  "Our team is new to BPC and would value an overview of the 333 authorities and timelines.",
  "The case has a pending amendment and the line notes need a second pair of eyes.",
  "We would like help with the lifecycle sustainment plan that goes with the LOA.",
];
const DETAILS = [
  "The partner's letter of request arrived last week and the suspense is tight.",
  "About twenty people would attend, most of them from the program office and the IPO.",
  "We can host on site or join virtually, whichever suits the faculty.",
  "Attached is the draft we have so far; it is not final.",
  "Please let me know if you need anything else from us.",
];
const SUPPORT = ["Workshop", "Advisory", "Document review"];
const PHASES = ["LOR", "LOA", "Pre-LOR", "Execution"];
const DELIVERY = ["Virtual", "On site", "Hybrid"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date in 2030 written three ways, as people do: ISO, "12 Jan 2030", "1/12/2030". */
function writtenDate(month: number, day: number, style: number): string {
  if (style === 0) return `2030-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (style === 1) return `${day} ${MONTHS[month - 1]} 2030`;
  return `${month}/${day}/2030`;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export async function benchMails(count: number, seed = 23): Promise<BenchMail[]> {
  const random = seededRandom(seed);
  const sent = new Date("2030-01-07T14:00:00Z");
  const senders = Math.ceil(count / MAILS_PER_SENDER);
  const mails: BenchMail[] = [];
  for (let index = 0; index < count; index++) {
    const sender = index % senders;
    const office = OFFICES[sender % OFFICES.length]!;
    const name = `${FIRST[sender % FIRST.length]} ${LAST[Math.floor(sender / FIRST.length) % LAST.length]}`;
    const from = `${name.toLowerCase().replace(" ", ".")}.${sender}@${office.domain}`;
    const program = pick(random, PROGRAMS);
    const lines = ["Good morning,", "", pick(random, NEEDS), pick(random, DETAILS), ""];
    // Most mails give some of the form's fields; a few lines look like fields but are not.
    if (random() < 0.7) {
      const month = 2 + Math.floor(random() * 9);
      const day = 1 + Math.floor(random() * 20);
      const style = Math.floor(random() * 3);
      const fields = [
        `Organization: ${office.office}`,
        `DoD component: ${office.component}`,
        `Program: ${program}`,
        "Effort types: FMS",
        `Support needed: ${pick(random, SUPPORT)}`,
        `Where the effort is: ${pick(random, PHASES)}`,
        `Audience size: ${5 + Math.floor(random() * 40)}`,
        `Start date: ${writtenDate(month, day, style)}`,
        `End date: ${writtenDate(month, day + 2, style)}`,
        `Delivery: ${pick(random, DELIVERY)}`,
        `Point of contact: ${name}`,
        `Point of contact e-mail: ${from}`,
      ];
      lines.push(...fields.slice(0, 3 + Math.floor(random() * (fields.length - 2))), "");
    }
    if (random() < 0.3) lines.push(`Phone: 703-555-${String(1000 + index).slice(-4)}`, "");
    const signed = random() < 0.7;
    if (signed) lines.push("-- ", name, office.office, `DSN 312-555-${String(2000 + sender).slice(-4)}`);
    const quoted = random() < 0.4;
    if (quoted) {
      lines.push(
        "",
        `On Mon, Jan 6, 2030 at 9:00 AM ${FIRST[(sender + 3) % FIRST.length]} Park <lead.${sender}@${office.domain}> wrote:`,
        `> ${name.split(" ")[0]}, can you ask DAU for help with the ${program} case?`,
        "> We need it before the partner's review.",
      );
    }
    const text = lines.join("\n");
    const kind = random();
    // 5 % HTML only, 30 % text and HTML (multipart/alternative), the rest plain text.
    const html = kind < 0.35 ? `<div>${lines.map((line) => `<p>${line.replace(/</g, "&lt;") || "&nbsp;"}</p>`).join("")}</div>` : undefined;
    const attachment =
      random() < 0.15
        ? [
            {
              filename: `draft-LOR-${index}.pdf`,
              content: Buffer.from(Array.from({ length: 2048 + index * 7 }, () => Math.floor(random() * 256))),
            },
          ]
        : [];
    const composer = new MailComposer({
      from: { name, address: from },
      to: "dsmc-i@dau.example.edu",
      subject: `${quoted ? "RE: " : ""}${program} ${pick(random, SUPPORT).toLowerCase()} request ${index + 1}`,
      text: kind < 0.05 ? undefined : text,
      html,
      attachments: attachment,
      messageId: `<bench-${seed}-${index}@${office.domain}>`,
      ...(quoted ? { inReplyTo: `<thread-${sender}@${office.domain}>`, references: [`<thread-${sender}@${office.domain}>`] } : {}),
      date: new Date(sent.getTime() + index * 60_000),
      baseBoundary: `bench${seed}x${index}`,
    });
    mails.push({ raw: await composer.compile().build(), from });
  }
  return mails;
}
