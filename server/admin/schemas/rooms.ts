import { z } from "zod";
import { seriesRanges } from "@/server/admin/admin-types";
import { roomIdSchema } from "@/server/gate/schemas";
import { brandingSchema, defaultLanguageSchema, emptyBranding } from "@/server/queue/branding";
import { isCidr } from "@/server/queue/bypass";
import {
  defaultChallengeDifficulty,
  maxChallengeDifficulty,
  minChallengeDifficulty,
} from "@/server/queue/challenge-settings";
import { challengeModes, roomModes } from "@/server/queue/types";

// Admin API input for rooms: settings, capacity, drain, series ranges.

const reservedPrefixes = ["/admin", "/api", "/wait", "/_next", "/.well-known"];

/** One protected path prefix; also checks FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS (server/env.ts). */
export const protectedPath = z
  .string()
  .max(200)
  .regex(/^\/[\w\-./]*$/, "each protected path starts with / and uses letters, digits, - _ . /")
  .refine((p) => p !== "/", "a room cannot protect the whole site (/): the console and the waiting page live there")
  .refine(
    (p) => !reservedPrefixes.some((r) => p === r || p.startsWith(`${r}/`)),
    `a room cannot protect Floodgate's own paths (${reservedPrefixes.join(", ")})`,
  );

export const roomIdParam = z.object({
  // The public queue API's own rule: a room the gate cannot address must not be created.
  room: roomIdSchema,
});

const settingsShape = {
  name: z.string().trim().min(1, "name is required").max(100),
  capacity: z.number().int().min(0).max(10_000_000),
  heartbeatIntervalMs: z.number().int().min(500).max(600_000),
  heartbeatTimeoutMs: z.number().int().min(1_000).max(3_600_000),
  maxQueueLength: z.number().int().min(1).max(100_000_000),
  mode: z.enum(roomModes),
  newUsersPerMinute: z.number().int().min(1, "at least 1 a minute, or null for no limit").max(1_000_000).nullable(),
  sessionDurationSeconds: z
    .number()
    .int()
    .min(10, "at least 10 seconds, or null for no limit")
    .max(7 * 86_400)
    .nullable(),
  sessionRenewal: z.boolean(),
  typicalVisitSeconds: z
    .number()
    .int()
    .min(5, "at least 5 seconds, or null to estimate from measured visits only")
    .max(86_400)
    .nullable(),
  bypassCidrs: z
    .array(z.string().trim().refine(isCidr, "each bypass range is a CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32"))
    .max(50)
    .refine((cidrs) => new Set(cidrs).size === cidrs.length, "bypass ranges must not repeat"),
  bypassApiKeys: z.boolean(),
  bypassUncounted: z.boolean(),
  challenge: z.enum(challengeModes),
  challengeDifficulty: z.number().int().min(minChallengeDifficulty).max(maxChallengeDifficulty),
  blockedCidrs: z
    .array(z.string().trim().refine(isCidr, "each blocked range is a CIDR range, e.g. 203.0.113.0/24 or 2001:db8::/32"))
    .max(200)
    .refine((cidrs) => new Set(cidrs).size === cidrs.length, "blocked ranges must not repeat"),
  infiniteLine: z.boolean(),
  defaultLanguage: defaultLanguageSchema,
  // Sent as a whole: fields left out of it are empty (server/queue/branding.ts).
  branding: brandingSchema,
  protectedPaths: z
    .array(protectedPath)
    .max(20)
    .refine((paths) => new Set(paths).size === paths.length, "protected paths must not repeat"),
};

const timeoutAboveInterval = (s: { heartbeatIntervalMs?: number; heartbeatTimeoutMs?: number }) =>
  s.heartbeatIntervalMs === undefined ||
  s.heartbeatTimeoutMs === undefined ||
  s.heartbeatTimeoutMs > s.heartbeatIntervalMs;
const timeoutMessage = {
  message: "heartbeatTimeoutMs must be longer than heartbeatIntervalMs (visitors get at least one heartbeat in)",
  path: ["heartbeatTimeoutMs"],
};

const reason = z.string().trim().max(500).optional();

export const createRoomBody = z
  .object({
    id: roomIdParam.shape.room,
    ...settingsShape,
    newUsersPerMinute: settingsShape.newUsersPerMinute.default(null),
    sessionDurationSeconds: settingsShape.sessionDurationSeconds.default(null),
    sessionRenewal: settingsShape.sessionRenewal.default(false),
    typicalVisitSeconds: settingsShape.typicalVisitSeconds.default(null),
    bypassCidrs: settingsShape.bypassCidrs.default([]),
    bypassApiKeys: settingsShape.bypassApiKeys.default(false),
    bypassUncounted: settingsShape.bypassUncounted.default(false),
    challenge: settingsShape.challenge.default("off"),
    challengeDifficulty: settingsShape.challengeDifficulty.default(defaultChallengeDifficulty),
    blockedCidrs: settingsShape.blockedCidrs.default([]),
    infiniteLine: settingsShape.infiniteLine.default(false),
    defaultLanguage: settingsShape.defaultLanguage.default(null),
    branding: settingsShape.branding.default(emptyBranding),
  })
  .strict()
  .refine(timeoutAboveInterval, timeoutMessage);

export const updateRoomBody = z
  .object({
    name: settingsShape.name.optional(),
    capacity: settingsShape.capacity.optional(),
    heartbeatIntervalMs: settingsShape.heartbeatIntervalMs.optional(),
    heartbeatTimeoutMs: settingsShape.heartbeatTimeoutMs.optional(),
    maxQueueLength: settingsShape.maxQueueLength.optional(),
    mode: settingsShape.mode.optional(),
    protectedPaths: settingsShape.protectedPaths.optional(),
    newUsersPerMinute: settingsShape.newUsersPerMinute.optional(),
    sessionDurationSeconds: settingsShape.sessionDurationSeconds.optional(),
    sessionRenewal: settingsShape.sessionRenewal.optional(),
    typicalVisitSeconds: settingsShape.typicalVisitSeconds.optional(),
    bypassCidrs: settingsShape.bypassCidrs.optional(),
    bypassApiKeys: settingsShape.bypassApiKeys.optional(),
    bypassUncounted: settingsShape.bypassUncounted.optional(),
    challenge: settingsShape.challenge.optional(),
    challengeDifficulty: settingsShape.challengeDifficulty.optional(),
    blockedCidrs: settingsShape.blockedCidrs.optional(),
    infiniteLine: settingsShape.infiniteLine.optional(),
    defaultLanguage: settingsShape.defaultLanguage.optional(),
    branding: settingsShape.branding.optional(),
    reason,
  })
  .strict()
  .refine(timeoutAboveInterval, timeoutMessage)
  .refine((b) => Object.keys(b).some((k) => k !== "reason"), "nothing to change");

export const capacityBody = z.object({ capacity: settingsShape.capacity, reason }).strict();

export const deleteRoomQuery = z.object({ force: z.enum(["true", "false"]).default("false") });

export const drainBody = z.object({ confirm: z.string(), reason }).strict();

export const seriesQuery = z.object({ range: z.enum(seriesRanges).default("1h") });
