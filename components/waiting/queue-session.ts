// One visitor's conversation with the queue API, free of React so it can be tested with
// fake timers: enter when there is no place, heartbeat at the pace each reply asks for,
// retry with backoff on trouble, never slower than what keeps the place (retry-delay.ts). It
// reports what happened; callers decide what it means (the waiting page shows it, the shop's
// AdmissionKeeper redirects when not admitted). Near the front of the line (the server says
// `status.hold`), heartbeats are held: the server answers the moment the visitor is admitted,
// and the next one goes out as soon as one returns; on any trouble, plain heartbeats again.
import type { QueueStatus } from "@/server/queue/types";
import { newPageId, postQueue, type QueueReply, type RefusalCode, sendLeaveBeacon } from "./queue-api";
import { type GoneCause, goneCauseOf, goneReasonOfStatus } from "./queue-view";
import { clampHeartbeatMs, retryCapMs, retryDelayMs } from "./retry-delay";

export type SessionEvent =
  | { type: "status"; status: QueueStatus }
  /**
   * The place is gone. `outage`: the calls just before failed (network, 5xx, 503), so it
   * lapsed while the page could not reach us: our side, not the visitor's. `silence`: the
   * server simply no longer knows it (the page was closed or asleep too long, or it left).
   */
  | { type: "gone"; cause: GoneCause }
  | { type: "refused"; code: RefusalCode; retryInMs: number }
  /** The room asks for its challenge: being solved (`failed` false), or the solver gave up (tried again later). */
  | { type: "checking"; failed: boolean }
  | { type: "connection"; reconnecting: boolean };

export type QueueSessionOptions = {
  room: string;
  onEvent: (event: SessionEvent) => void;
  fetchImpl?: typeof fetch;
  random?: () => number;
  /**
   * Solves a `pow` room's challenge (pow-solver.ts: web workers); resolves to the payload to
   * present, or null when it could not (no workers, timed out, aborted).
   */
  solve?: (challenge: unknown, signal: AbortSignal) => Promise<string | null>;
};

export type { GoneCause } from "./queue-view";

type Call = "enter" | "heartbeat";

const DEFAULT_REFUSAL_RETRY_MS = 10_000;
/** After the solver gave up: try again with a new challenge this long after. */
export const CHALLENGE_RETRY_MS = 10_000;
/** Challenges in a row before the page stops and waits for its button (a solver that never satisfies). */
const MAX_CHALLENGES_IN_A_ROW = 5;
/** A newcomer refused (room full or closed) holds no place: the server's Retry-After rules, within reason. */
export const MAX_REFUSAL_RETRY_MS = 120_000;
/**
 * Held heartbeats start at most this often: one the server answers at once (it could not hold)
 * must not turn into a hot loop. A hold that ran its course is followed at once.
 */
export const MIN_HELD_GAP_MS = 500;
/**
 * How long to ask the server to hold: half the heartbeat timeout (the server caps it at the
 * room's heartbeat interval, which is shorter than the timeout).
 */
const HOLD_SHARE_OF_TIMEOUT = 0.5;

export class QueueSession {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private failures = 0;
  /** The heartbeat timeout the last status announced; null before any (retries then use a safe bound). */
  private heartbeatTimeoutMs: number | null = null;
  private stopped = true;
  /** What the next scheduled call is; null once the place is gone (until enter()). */
  private nextCall: Call | null = null;
  /** Hold the next heartbeat this long (the last status said holding is worthwhile); null: plain. */
  private holdMs: number | null = null;
  /** When the last call was sent (ms, Date.now()). */
  private sentAtMs = Number.NEGATIVE_INFINITY;
  /** Challenges answered since the last place: a loop of them stops (see MAX_CHALLENGES_IN_A_ROW). */
  private challengesInARow = 0;

  /** Identifies this page load to the server, so its own late heartbeat cannot undo its leave. */
  private readonly pageId = newPageId();

  constructor(private readonly options: QueueSessionOptions) {}

  /** Starts from the server-rendered status, or by entering when the visitor has none. */
  start(initial: QueueStatus | null): void {
    this.stopped = false;
    if (initial) this.handle({ kind: "status", status: initial }, "heartbeat");
    else void this.run("enter");
  }

  /** Heartbeats right away: for a page that already holds a place (the shop while admitted). */
  resume(): void {
    this.stopped = false;
    void this.run("heartbeat");
  }

  /** Asks for a (new) place now, e.g. from the "get a new place" button. */
  enter(): void {
    this.stopped = false;
    this.challengesInARow = 0;
    void this.run("enter");
  }

  /** Heartbeats now instead of waiting for the timer (tab shown again, page restored). */
  heartbeatNow(): void {
    if (this.stopped || this.inFlight || this.nextCall !== "heartbeat") return;
    void this.run("heartbeat");
  }

  /**
   * Page restored (back/forward cache) after stop(): check in at once if it held a place.
   * stop() keeps `nextCall`, so a stopped session knows whether it had one.
   */
  wake(): void {
    if (this.nextCall !== "heartbeat" || this.inFlight) return;
    this.stopped = false;
    void this.run("heartbeat");
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    this.inFlight = null;
  }

  sendLeave(): void {
    sendLeaveBeacon(this.options.room, this.pageId);
  }

  /** Solves the room's challenge off the main thread, then enters with the solution. */
  private async solveAndEnter(challenge: unknown): Promise<void> {
    const emit = this.options.onEvent;
    emit({ type: "checking", failed: false });
    const controller = new AbortController();
    this.inFlight = controller;
    const payload = this.options.solve
      ? await this.options.solve(challenge, controller.signal).catch(() => null)
      : null;
    if (this.inFlight !== controller || this.stopped) return;
    this.inFlight = null;
    if (payload) {
      void this.run("enter", payload);
      return;
    }
    emit({ type: "checking", failed: true });
    this.schedule("enter", CHALLENGE_RETRY_MS);
  }

  private schedule(call: Call, delayMs: number): void {
    clearTimeout(this.timer);
    this.nextCall = call;
    this.timer = setTimeout(() => void this.run(call), delayMs);
  }

  private async run(call: Call, pow?: string): Promise<void> {
    clearTimeout(this.timer);
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    let reply: QueueReply;
    this.sentAtMs = Date.now();
    try {
      reply = await postQueue(this.options.room, call, {
        signal: controller.signal,
        fetchImpl: this.options.fetchImpl,
        pageId: this.pageId,
        holdMs: call === "heartbeat" ? (this.holdMs ?? undefined) : undefined,
        pow,
      });
    } catch {
      return; // aborted by stop() or by a newer call
    }
    if (this.inFlight !== controller) return;
    this.inFlight = null;
    if (!this.stopped) this.handle(reply, call);
  }

  private handle(reply: QueueReply, call: Call): void {
    const emit = this.options.onEvent;
    const capMs = retryCapMs(this.heartbeatTimeoutMs);
    // Anything but a status that says so: plain heartbeats (the fallback on any trouble).
    this.holdMs = null;
    if (reply.kind === "unavailable") {
      this.failures += 1;
      if (this.failures === 1) emit({ type: "connection", reconnecting: true });
      this.schedule(call, retryDelayMs(this.failures, reply.retryAfterMs, capMs, this.options.random));
      return;
    }
    const hadFailures = this.failures > 0;
    if (this.failures > 0) {
      this.failures = 0;
      emit({ type: "connection", reconnecting: false });
    }
    if (reply.kind !== "challenge") this.challengesInARow = 0;
    switch (reply.kind) {
      case "challenge":
        if (call !== "enter" || ++this.challengesInARow > MAX_CHALLENGES_IN_A_ROW) {
          this.nextCall = null;
          emit({ type: "checking", failed: true });
          return;
        }
        void this.solveAndEnter(reply.challenge);
        return;
      case "status":
        if (reply.status.state === "expired") {
          this.nextCall = null;
          emit({ type: "gone", cause: goneCauseOf(goneReasonOfStatus(reply.status), hadFailures) });
          return;
        }
        if (typeof reply.status.heartbeatTimeoutMs === "number")
          this.heartbeatTimeoutMs = reply.status.heartbeatTimeoutMs;
        if (reply.status.hold === true && reply.status.state === "waiting" && this.heartbeatTimeoutMs !== null) {
          // The held heartbeat is itself the proof of life: the next one goes out at once.
          this.holdMs = this.heartbeatTimeoutMs * HOLD_SHARE_OF_TIMEOUT;
          this.schedule("heartbeat", Math.max(0, this.sentAtMs + MIN_HELD_GAP_MS - Date.now()));
        } else {
          this.schedule("heartbeat", clampHeartbeatMs(reply.status.heartbeatIntervalMs));
        }
        emit({ type: "status", status: reply.status });
        return;
      case "gone":
        this.nextCall = null;
        emit({ type: "gone", cause: goneCauseOf(reply.reason, hadFailures) });
        return;
      case "refused": {
        const retryInMs = Math.max(1_000, reply.retryAfterMs ?? DEFAULT_REFUSAL_RETRY_MS);
        // A refused enter is retried as an enter; a refused heartbeat keeps heartbeating,
        // within the bound that keeps its place.
        this.schedule(
          call,
          call === "enter"
            ? Math.min(retryInMs, MAX_REFUSAL_RETRY_MS)
            : retryDelayMs(1, retryInMs, capMs, this.options.random),
        );
        emit({ type: "refused", code: reply.code, retryInMs });
        return;
      }
    }
  }
}
