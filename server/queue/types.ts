// Shapes shared by the engine, the gate and (as `import type`) the waiting page.
// Kept free of runtime code so client components may import its types.

import type { Lang } from "@/components/waiting/negotiate-language";
import type { RoomBranding } from "./branding";

/**
 * How a room lets people in: `fifo` first come first served; `random` a random waiting visitor
 * per free slot (a lottery: arrival time within the line does not matter); `passthrough`
 * everyone is admitted on arrival, capacity not enforced (the room is switched off);
 * `closed` nobody new may join and nobody is admitted.
 */
export type RoomMode = "fifo" | "random" | "passthrough" | "closed";
export const roomModes = ["fifo", "random", "passthrough", "closed"] as const satisfies readonly RoomMode[];

export const challengeModes = ["off", "pow"] as const;
export type ChallengeMode = (typeof challengeModes)[number];

export type RoomConfig = {
  id: string;
  name: string;
  /** Most visitors admitted and alive at once. 0 pauses admission; people can still queue. */
  capacity: number;
  heartbeatIntervalMs: number;
  /** A token with no heartbeat for this long is dropped, waiting or admitted. */
  heartbeatTimeoutMs: number;
  /** Arrivals beyond this many waiting are turned away ("room full") without any write. */
  maxQueueLength: number;
  mode: RoomMode;
  /** Path prefixes of the protected origin this room guards, e.g. ["/shop"]. */
  protectedPaths: string[];
  /**
   * Most admissions in any 60 seconds, spread out (admission-rate.ts: at most a sixth of it in
   * any 10 s, a sixtieth in any second, rounded up); capacity still applies. null: no limit.
   * For origins that break on the rate of new sessions (logins, carts), not on how many are in.
   */
  newUsersPerMinute: number | null;
  /**
   * An admission ends this long after it began, even while the page keeps beating (the
   * visitor's admission token stops working); null: it lasts while the visitor heartbeats.
   */
  sessionDurationSeconds: number | null;
  /**
   * At the limit: true renews the session when nobody is waiting, and otherwise sends the
   * visitor to the back of the line (a new place); false ends it, and the visitor may queue again.
   */
  sessionRenewal: boolean;
  /**
   * How long a visit usually lasts (seconds), as the operator expects it: the wait estimate's
   * starting point until the room has measured its own visits (then it counts as ten of them).
   * null: no estimate beyond the free slots until visits have been measured.
   */
  typicalVisitSeconds: number | null;
  /**
   * Client address ranges (CIDR) whose visitors skip the line: admitted at once when a slot is
   * free, else given the next one ahead of everyone waiting. They count against capacity.
   */
  bypassCidrs: string[];
  /** Holders of an API key for this room skip the line too (X-Floodgate-Api-Key on enter). */
  bypassApiKeys: boolean;
  /**
   * Bypass arrivals are let in at once even when the room is full, beyond its capacity and not
   * counted against it (server/queue/extra-pass.ts); false: they take the next slot like anyone.
   */
  bypassUncounted: boolean;
  /**
   * "pow": a new place requires a solved proof-of-work challenge issued by the gate
   * (server/queue/challenge.ts); "off": none.
   */
  challenge: ChallengeMode;
  /** The challenge's work: the largest counter a solver may have to try (on average half). */
  challengeDifficulty: number;
  /** Client address ranges (CIDR) refused a place, or sent to the infinite line when it is on. */
  blockedCidrs: string[];
  /**
   * Suspicious arrivals (a blocked range, over the per-address limit, a forged or tampered
   * challenge solution) get a normal-looking place that never advances and is never admitted,
   * counted apart (server/queue/infinite-line.ts), instead of an error that tells them to adapt.
   */
  infiniteLine: boolean;
  /**
   * The visitor pages' language when neither the fg_lang cookie nor Accept-Language names one
   * Floodgate speaks; null: English.
   */
  defaultLanguage: Lang | null;
  /** Display name, message, logo and accent colour on every page a visitor of the room sees. */
  branding: RoomBranding;
};

/**
 * What a visitor sees. `waiting` while in line, `paused` while in line but the room admits
 * nobody (capacity 0), `closed` while in line in a closed room, `prequeue` while held in a
 * scheduled event's pre-queue (their place is drawn at `startsAt`), `admitted` once inside,
 * `expired` once the token is gone (silent too long, left, or unknown).
 */
export type VisitorState = "waiting" | "paused" | "closed" | "prequeue" | "admitted" | "expired";

export type QueueStatus = {
  room: string;
  /**
   * The place's reference code ("K7QF-2M"): shown to the visitor, who can read it to support;
   * the console finds the place by it. Stable for the place's life, not a credential. null when
   * the visitor holds no place (let through while the queue store was unreachable).
   */
  reference: string | null;
  state: VisitorState;
  /** 1-based place in line; null unless waiting/paused/closed (a pre-queue has no order yet). */
  position: number | null;
  /** People in line ahead of this visitor (position - 1); null when not in line. */
  ahead: number | null;
  /** People waiting in the whole room. */
  waiting: number;
  /** 0..1, how much of the line ahead at arrival has gone since. 1 when admitted. */
  progress: number;
  /**
   * Estimated seconds until admission (server/queue/wait-model.ts): when the slot for this place
   * is expected to free, from the room's capacity, the visits inside and how long visits last,
   * the new-users limit, and the share of those ahead who give up. null when it cannot be told
   * (a closed or paused room; no visit measured yet and no typical visit set): unknown, not 0.
   */
  etaSeconds: number | null;
  /**
   * Admissions a minute the estimate assumes from now on (capacity over the mean visit, within
   * the new-users limit); the last minute's count while there is no estimate.
   */
  admissionsPerMinute: number;
  /**
   * Send the next heartbeat after this long. The server may change it at any reply: sooner
   * when admission is due sooner, and spread ±10% around the room's interval (at most a quarter
   * of the margin to the timeout) so that visitors answered together do not return together.
   */
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  /** When this visitor was admitted (epoch ms); null until then. */
  admittedAt: number | null;
  /**
   * When the admission's time limit runs out (epoch ms); null without one. In an "expired"
   * status: when it ran out, if that is why the visitor is out.
   */
  sessionEndsAt: number | null;
  /** In a pre-queue: when the event starts and the order is drawn (epoch ms); null otherwise. */
  startsAt: number | null;
  /**
   * Near enough the front that a held heartbeat (`?hold=<ms>`) is worthwhile: it is answered
   * the moment this visitor is admitted. false: heartbeat at the interval (far back, admitted,
   * a closed or paused room, or this server cannot hold now).
   */
  hold: boolean;
  /**
   * In an "expired" status only: why the place is gone (see GoneReason). Absent in every other
   * status, and in an expired one from a server that does not say.
   */
  goneReason?: GoneReason;
};

/**
 * Why a place is gone, as the visitor is told: `evicted`, an operator removed them (console or
 * admin API); `ended_by_site`, the protected site ended their session (session API);
 * `session_limit`, the room's time limit ended it; `timed_out`, their page stopped checking in
 * (closed, asleep, offline) for longer than the heartbeat timeout; `lost`, the place was not
 * restored after a restart or takeover on our side (the store did not give it back).
 */
export const goneReasons = ["evicted", "ended_by_site", "session_limit", "timed_out", "lost"] as const;
export type GoneReason = (typeof goneReasons)[number];

/** Public view of a room, for a visitor who has no place yet. */
export type RoomSummary = {
  room: string;
  name: string;
  mode: RoomMode;
  waiting: number;
  full: boolean;
  /** ETA for someone who joins now; null when unknown. */
  etaSeconds: number | null;
  heartbeatIntervalMs: number;
  /** RoomConfig.defaultLanguage: the page's language when the browser names none Floodgate speaks. */
  defaultLanguage: Lang | null;
  /** RoomConfig.branding: what the room's visitor pages show (public by nature). */
  branding: RoomBranding;
  /** RoomConfig.challenge: "pow" when a new place needs a solved challenge (and so JavaScript). */
  challenge: ChallengeMode;
};

/** Per-room counters kept as the engine goes (never computed by scanning). */
export type RoomStats = {
  room: string;
  /** What admission fills up to now: the room's own capacity, or more while an event or surge raises it. */
  capacity: number;
  /** The room's own capacity (what operators set); `capacity` differs while raised. */
  baseCapacity: number;
  active: number;
  waiting: number;
  arrivedTotal: number;
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
  /** Of those who left: sessions the site ended (end-session trigger) or the page did, since this process started. */
  sessionsEndedTotal: number;
  /** Of those who left: sessions the room's time limit ended, since this process started. */
  sessionsTimedOutTotal: number;
  /** Arrivals that skipped the line (bypass address or API key), since this process started. */
  bypassedTotal: number;
  /**
   * The infinite line (server/queue/infinite-line.ts): places held now (heard from within the
   * heartbeat timeout), and arrivals sent there by why, since this process started.
   */
  infiniteLine: { held: number; blocked: number; rate_limited: number; challenge_failed: number };
  /** Bypass holders inside beyond capacity now (bypassUncounted): not in `active`. */
  bypassBeyondCapacity: number;
  /**
   * Proof-of-work challenges since this process started: issued, solved (a place bought),
   * stale (expired or already spent: a new one was issued), forged (not a genuine answer).
   */
  challenges: { issued: number; solved: number; stale: number; forged: number };
  /** Removed by an operator (evict, drain). */
  evictedTotal: number;
  arrivalsPerMinute: number;
  admissionsPerMinute: number;
  /** Highest `active` seen since the process started: the capacity invariant, observable. */
  maxActiveObserved: number;
};

/** Room settings an operator may change (everything but the id). */
export type RoomSettings = Omit<RoomConfig, "id">;

/** One place in line or admission, as the admin console sees it. Times are epoch ms. */
export type TokenInfo = {
  /** The visitor id (the queue token's jti); not the token itself, which is a secret. */
  id: string;
  room: string;
  seq: number;
  /** The place's reference code (QueueStatus.reference). */
  reference: string;
  /** Skipped the line (a bypass address or API key). */
  bypassed: boolean;
  state: "waiting" | "admitting" | "admitted";
  /** 1-based place in line while waiting; null otherwise. */
  position: number | null;
  enteredAtMs: number;
  admittedAtMs: number | null;
  admissionNo: number | null;
  /** When the engine drops this visitor unless a heartbeat comes first. */
  deadlineMs: number;
  /** Sent a leave; dropped at the deadline unless another page of theirs checks in. */
  leaving: boolean;
};

export type TokenQuery = {
  state?: "waiting" | "admitted";
  /** A place's reference code (any case, dashes or not), or the start of a visitor id. */
  search?: string;
  offset: number;
  limit: number;
};

/** The JSON error body every API answers with. */
export type ApiError = { error: { code: string; message: string } };
