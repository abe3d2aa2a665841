// Wall-clock times as <input type="datetime-local"> holds them ("2025-03-12T19:00"), in a named
// time zone, to and from instants. The console passes the browser's zone; tests pass a fixed one.
// The server only ever sees instants (ISO 8601 in UTC), so a form filled in Seoul and one filled
// in Berlin mean the same moment when they say the same thing on their own clocks.

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at an instant, as the fields of a UTC date (so arithmetic is plain). */
export function wallClockMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (Seoul: +9 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  return wallClockMs(Math.floor(epochMs / 1000) * 1000, timeZone) - Math.floor(epochMs / 1000) * 1000;
}

/** The instant a datetime-local value names in `timeZone`, or null when it is not one. */
export function localInputToEpochMs(value: string, timeZone: string): number | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2025-02-30 over to March; a value the picker could not produce is refused.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return wallClockToEpochMs(wall, timeZone);
}

/**
 * The instant at which the zone's clock shows `wall` (a wallClockMs value). A time skipped by a
 * daylight-saving jump reads as the same clock time just after the jump; one that happens twice
 * reads as the first.
 */
export function wallClockToEpochMs(wall: number, timeZone: string): number {
  // Two candidates, one per offset in force around that wall time; the earlier one that reads
  // back as the same wall time wins (the first of a repeated hour).
  const before = wall - zoneOffsetMs(wall - 86_400_000, timeZone);
  const after = wall - zoneOffsetMs(wall + 86_400_000, timeZone);
  const exact = [Math.min(before, after), Math.max(before, after)].find(
    (candidate) => wallClockMs(candidate, timeZone) === wall,
  );
  // In a skipped hour neither reads back; the offset from before the jump lands just after it
  // (Berlin's 02:30 on the spring-forward night reads as 03:30).
  return exact ?? before;
}

/**
 * A datetime-local value ("2025-03-12T19:00") for an instant, on the zone's clock; with
 * "seconds", "2025-03-12T19:00:05" (the field takes those too, e.g. when a test types them).
 */
export function epochMsToLocalInput(
  epochMs: number,
  timeZone: string,
  precision: "minutes" | "seconds" = "minutes",
): string {
  return new Date(wallClockMs(epochMs, timeZone)).toISOString().slice(0, precision === "seconds" ? 19 : 16);
}

/** The ISO instant to send for a datetime-local value, or null when it is not one. */
export function localInputToIso(value: string, timeZone: string): string | null {
  const epochMs = localInputToEpochMs(value, timeZone);
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

/** "UTC+09:00", "UTC−05:00", "UTC" at an instant: named beside the zone, for the forms. */
export function formatZoneOffset(epochMs: number, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(epochMs, timeZone) / 60_000);
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "−";
  const absolute = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
}
