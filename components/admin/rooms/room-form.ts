// The room form's values (as typed), their checks, and the settings they turn into. Limits
// mirror the server's (server/env.ts defaults); the server checks again and its 422 message
// is shown beside the form.

import { isCidr } from "@/server/queue/bypass";
import {
  defaultChallengeDifficulty,
  maxChallengeDifficulty,
  minChallengeDifficulty,
} from "@/server/queue/challenge-settings";
import type { ChallengeMode, RoomConfig, RoomMode } from "@/server/queue/types";
import { parseWhole } from "../common/number-input";

export type RoomFormValues = {
  id: string;
  name: string;
  capacity: string;
  heartbeatIntervalMs: string;
  heartbeatTimeoutMs: string;
  maxQueueLength: string;
  /** Empty: no limit. */
  newUsersPerMinute: string;
  /** Minutes; empty: an admission lasts while the visitor heartbeats. */
  sessionMinutes: string;
  typicalVisitMinutes: string;
  sessionRenewal: boolean;
  /** One CIDR range per line. */
  bypassCidrs: string;
  bypassApiKeys: boolean;
  bypassUncounted: boolean;
  challenge: ChallengeMode;
  challengeDifficulty: string;
  /** One CIDR range per line. */
  blockedCidrs: string;
  infiniteLine: boolean;
  mode: RoomMode;
  /** One path prefix per line. */
  protectedPaths: string;
};

/** The settings this form edits: branding has its own section (components/admin/branding). */
export type RoomFormRoom = Omit<RoomConfig, "defaultLanguage" | "branding">;

export type RoomFormErrors = Partial<Record<keyof RoomFormValues, string>>;

export const emptyRoomForm: RoomFormValues = {
  id: "",
  name: "",
  capacity: "50",
  heartbeatIntervalMs: "5000",
  heartbeatTimeoutMs: "20000",
  maxQueueLength: "100000",
  newUsersPerMinute: "",
  sessionMinutes: "",
  typicalVisitMinutes: "",
  sessionRenewal: false,
  bypassCidrs: "",
  bypassApiKeys: false,
  bypassUncounted: false,
  challenge: "off",
  challengeDifficulty: String(defaultChallengeDifficulty),
  blockedCidrs: "",
  infiniteLine: false,
  mode: "fifo",
  protectedPaths: "",
};

export function roomFormFrom(room: RoomConfig): RoomFormValues {
  return {
    id: room.id,
    name: room.name,
    capacity: String(room.capacity),
    heartbeatIntervalMs: String(room.heartbeatIntervalMs),
    heartbeatTimeoutMs: String(room.heartbeatTimeoutMs),
    maxQueueLength: String(room.maxQueueLength),
    newUsersPerMinute: room.newUsersPerMinute === null ? "" : String(room.newUsersPerMinute),
    sessionMinutes: room.sessionDurationSeconds === null ? "" : String(room.sessionDurationSeconds / 60),
    typicalVisitMinutes: room.typicalVisitSeconds === null ? "" : String(Math.round(room.typicalVisitSeconds / 6) / 10),
    sessionRenewal: room.sessionRenewal,
    bypassCidrs: room.bypassCidrs.join("\n"),
    bypassApiKeys: room.bypassApiKeys,
    bypassUncounted: room.bypassUncounted,
    challenge: room.challenge,
    challengeDifficulty: String(room.challengeDifficulty),
    blockedCidrs: room.blockedCidrs.join("\n"),
    infiniteLine: room.infiniteLine,
    mode: room.mode,
    protectedPaths: room.protectedPaths.join("\n"),
  };
}

const ROOM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function parsePaths(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((path) => path.trim())
    .filter((path) => path !== "");
}

const PATH = /^\/[\w\-./]*$/;
const RESERVED = ["/admin", "/api", "/wait", "/_next", "/.well-known"];

function checkPaths(paths: string[]): string | null {
  if (paths.length > 20) return "At most 20 paths.";
  for (const path of paths) {
    if (!PATH.test(path)) return `"${path}" is not a path: start with / and use letters, digits, - _ . / only.`;
    if (path === "/") return "A room cannot guard the whole site (/): the console and waiting page live there.";
    const reserved = RESERVED.find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    if (reserved) return `"${path}" is Floodgate's own (${reserved}); pick another path.`;
  }
  if (new Set(paths).size !== paths.length) return "A path is listed twice.";
  return null;
}

/** Checks every field; returns the room when all are valid, else a message per bad field. */
export function validateRoomForm(values: RoomFormValues): { errors: RoomFormErrors; room: RoomFormRoom | null } {
  const errors: RoomFormErrors = {};
  const id = values.id.trim();
  if (!ROOM_ID.test(id)) errors.id = "1–40 lowercase letters, digits or dashes, starting with a letter or digit.";
  const name = values.name.trim();
  if (name === "") errors.name = "Enter a name visitors will see.";
  else if (name.length > 100) errors.name = "At most 100 characters.";

  const capacity = parseWhole(values.capacity, 0, 10_000_000, "a capacity");
  const interval = parseWhole(values.heartbeatIntervalMs, 500, 600_000, "a heartbeat interval");
  const timeout = parseWhole(values.heartbeatTimeoutMs, 1_000, 3_600_000, "a heartbeat timeout");
  const maxQueue = parseWhole(values.maxQueueLength, 1, 100_000_000, "a maximum line length");
  if (typeof capacity === "string") errors.capacity = capacity;
  if (typeof interval === "string") errors.heartbeatIntervalMs = interval;
  if (typeof timeout === "string") errors.heartbeatTimeoutMs = timeout;
  else if (typeof interval === "number" && timeout <= interval)
    errors.heartbeatTimeoutMs = "Must be longer than the heartbeat interval, or visitors drop between heartbeats.";
  if (typeof maxQueue === "string") errors.maxQueueLength = maxQueue;
  const newUsers =
    values.newUsersPerMinute.trim() === ""
      ? null
      : parseWhole(values.newUsersPerMinute, 1, 1_000_000, "new visitors per minute (or leave it empty)");
  if (typeof newUsers === "string") errors.newUsersPerMinute = newUsers;
  const sessionMinutes = values.sessionMinutes.trim() === "" ? null : Number(values.sessionMinutes);
  if (
    sessionMinutes !== null &&
    (!Number.isFinite(sessionMinutes) ||
      sessionMinutes < 0.5 ||
      sessionMinutes > 10_080 ||
      !Number.isInteger(sessionMinutes * 60))
  ) {
    errors.sessionMinutes = "Enter minutes from 0.5 to 10080 (a week), or leave it empty for no limit.";
  }
  const visitMinutes = values.typicalVisitMinutes.trim() === "" ? null : Number(values.typicalVisitMinutes);
  if (visitMinutes !== null && (!Number.isFinite(visitMinutes) || visitMinutes < 0.1 || visitMinutes > 1_440))
    errors.typicalVisitMinutes = "Enter minutes from 0.1 to 1440 (a day), or leave it empty to measure visits only.";

  const bypassCidrs = parsePaths(values.bypassCidrs);
  const badRange = bypassCidrs.find((range) => !isCidr(range));
  if (badRange) errors.bypassCidrs = `"${badRange}" is not an address range: write it as 10.0.0.0/8 or 2001:db8::/32.`;
  else if (bypassCidrs.length > 50) errors.bypassCidrs = "At most 50 ranges.";
  else if (new Set(bypassCidrs).size !== bypassCidrs.length) errors.bypassCidrs = "A range is listed twice.";

  const blockedCidrs = parsePaths(values.blockedCidrs);
  const badBlocked = blockedCidrs.find((range) => !isCidr(range));
  if (badBlocked)
    errors.blockedCidrs = `"${badBlocked}" is not an address range: write it as 203.0.113.0/24 or 2001:db8::/32.`;
  else if (blockedCidrs.length > 200) errors.blockedCidrs = "At most 200 ranges.";
  else if (new Set(blockedCidrs).size !== blockedCidrs.length) errors.blockedCidrs = "A range is listed twice.";
  const difficulty = parseWhole(
    values.challengeDifficulty,
    minChallengeDifficulty,
    maxChallengeDifficulty,
    "the challenge's work",
  );
  if (typeof difficulty === "string") errors.challengeDifficulty = difficulty;

  const protectedPaths = parsePaths(values.protectedPaths);
  const pathError = checkPaths(protectedPaths);
  if (pathError) errors.protectedPaths = pathError;

  if (Object.keys(errors).length > 0) return { errors, room: null };
  return {
    errors,
    room: {
      id,
      name,
      capacity: capacity as number,
      heartbeatIntervalMs: interval as number,
      heartbeatTimeoutMs: timeout as number,
      maxQueueLength: maxQueue as number,
      mode: values.mode,
      protectedPaths,
      newUsersPerMinute: newUsers as number | null,
      sessionDurationSeconds: sessionMinutes === null ? null : Math.round(sessionMinutes * 60),
      typicalVisitSeconds: visitMinutes === null ? null : Math.max(5, Math.round(visitMinutes * 60)),
      sessionRenewal: values.sessionRenewal,
      bypassCidrs,
      bypassApiKeys: values.bypassApiKeys,
      bypassUncounted: values.bypassUncounted,
      challenge: values.challenge,
      challengeDifficulty: difficulty as number,
      blockedCidrs,
      infiniteLine: values.infiniteLine,
    },
  };
}
