// Read an iCalendar file with Mozilla's ical.js (the parser inside Thunderbird) and print
// what it understood as JSON, for the Python tests to compare.
//   node parse.mjs feed.ics        (or the file on standard input)
// Exit status 1 and the parser's message on standard error if the file does not parse.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const source = process.argv[2] ? readFileSync(process.argv[2], "utf8") : readFileSync(0, "utf8");

function propertyNames(component) {
  return component.getAllProperties().map((p) => p.name.toUpperCase());
}

function utc(time) {
  return time ? time.toJSDate().toISOString() : null;
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

let root;
try {
  root = new ICAL.Component(ICAL.parse(source));
} catch (error) {
  process.stderr.write(`ical.js could not parse the file: ${error.message}\n`);
  process.exit(1);
}

const calendars = root.name === "vcalendar" ? [root] : root.getAllSubcomponents("vcalendar");
const result = calendars.map((calendar) => ({
  properties: propertyNames(calendar),
  name: text(calendar, "x-wr-calname"),
  method: text(calendar, "method"),
  timezones: calendar.getAllSubcomponents("vtimezone").map((tz) => text(tz, "tzid")),
  components: calendar.getAllSubcomponents().map((c) => c.name.toUpperCase()),
  events: calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const dtstart = vevent.getFirstProperty("dtstart");
    const geo = vevent.getFirstPropertyValue("geo");
    return {
      uid: event.uid,
      properties: propertyNames(vevent),
      sequence: event.sequence,
      status: text(vevent, "status"),
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: text(vevent, "url"),
      geo: geo ? geo.map(Number) : null,
      transp: text(vevent, "transp"),
      tzid: dtstart ? dtstart.getParameter("tzid") || null : null,
      start: utc(event.startDate),
      end: utc(event.endDate),
      attendees: vevent.getAllProperties("attendee").length,
      alarms: vevent.getAllSubcomponents("valarm").map((alarm) => ({
        properties: propertyNames(alarm),
        action: text(alarm, "action"),
        trigger: alarm.getFirstPropertyValue("trigger").toSeconds(),
        description: text(alarm, "description"),
      })),
    };
  }),
}));
process.stdout.write(JSON.stringify(result));
