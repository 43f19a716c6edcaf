import ical, { ICalAttendeeRole, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime, FixedOffsetZone } from "luxon";
import type { CalendarInvite } from "../chat/channel.js";

/** Sessions run through the working day: from 09:00 on the first day to 17:00 on the last, in the zone. */
const DAY_START = "09:00";
const DAY_END = "17:00";

/**
 * A VTIMEZONE for the zone over the event's years (RFC 5545 requires one for a TZID), built
 * from the zone's real offsets with Luxon: one observance per offset change found.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  const start = DateTime.fromJSDate(from, { zone }).startOf("year").minus({ years: 1 });
  const end = DateTime.fromJSDate(to, { zone }).endOf("year");
  const stamp = (at: DateTime) => at.toFormat("yyyyMMdd'T'HHmmss");
  const offset = (minutes: number) =>
    `${minutes < 0 ? "-" : "+"}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0")}${String(Math.abs(minutes) % 60).padStart(2, "0")}`;
  const observance = (kind: string, at: DateTime, fromOffset: number, toOffset: number) =>
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${stamp(at)}`,
      `TZOFFSETFROM:${offset(fromOffset)}`,
      `TZOFFSETTO:${offset(toOffset)}`,
      `END:${kind}`,
    );
  let previous = start;
  observance(start.isInDST ? "DAYLIGHT" : "STANDARD", start, start.offset, start.offset);
  for (let hour = start.plus({ hours: 1 }); hour <= end; hour = hour.plus({ hours: 1 })) {
    if (hour.offset !== previous.offset)
      observance(
        hour.isInDST ? "DAYLIGHT" : "STANDARD",
        hour.setZone(FixedOffsetZone.instance(previous.offset)),
        previous.offset,
        hour.offset,
      );
    previous = hour;
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}

/**
 * The iTIP text of an invitation (RFC 5546): METHOD REQUEST or CANCEL, one UID per request,
 * SEQUENCE raised by each change. Only the request id, "Mission Assistance", the dates and
 * the mode/location: no case details, no notes.
 */
export function invitationCalendar(invite: CalendarInvite): string {
  const start = DateTime.fromISO(`${invite.start}T${DAY_START}`, { zone: invite.timeZone });
  const end = DateTime.fromISO(`${invite.end}T${DAY_END}`, { zone: invite.timeZone });
  const calendar = ical({
    prodId: { company: "DAU International Acquisition Center", product: "Mission Assist" },
    method: invite.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: invite.timeZone, generator: (zone) => vtimezone(zone, start.toJSDate(), end.toJSDate()) },
  });
  calendar.createEvent({
    id: invite.uid,
    sequence: invite.sequence,
    stamp: invite.stamp,
    // Luxon times: ical-generator writes them as local times of their zone, with its TZID.
    start,
    end,
    timezone: invite.timeZone,
    summary: invite.summary,
    location: invite.location,
    status: invite.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: "Mission Assistance", email: invite.organizer },
    attendees: invite.attendees.map((attendee) => ({
      email: attendee.email,
      role: ICalAttendeeRole.REQ,
      rsvp: invite.method === "REQUEST",
    })),
  });
  // RFC 5545 wants DTSTAMP in UTC; with a calendar time zone set, ical-generator 10 writes it
  // as a local time without the Z, so it is written here.
  const stamp = DateTime.fromJSDate(invite.stamp, { zone: "utc" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
  return calendar.toString().replace(/^DTSTAMP:.*$/m, `DTSTAMP:${stamp}`);
}
