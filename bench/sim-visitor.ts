import type { Dispatcher } from "undici";
import { Exchange, jsonObject, jwtPayload, type LatencyRecorder, type OutcomeCounter, postOptions } from "@/bench/load";
import type { HeldAdmission } from "@/bench/origin-census";

// One simulated visitor of the flash crowd, as the waiting page would behave: enter, then
// heartbeat at the interval the server asks for (near the front, when the server says
// `hold`, a held heartbeat on its own connection, the next one as soon as it returns); once admitted, browse for a session, then
// leave, or (a share of them) just go silent. The visitor is also the undici handler of its
// own request (it never has more than one in flight), so the generator allocates no
// closure per request.

export type VisitorPhase = "pending" | "entering" | "waiting" | "admitted" | "left" | "silent" | "expired" | "rejected";
export type RequestKind = "enter" | "heartbeat" | "leave";
/** What a silent visitor's one late heartbeat found: expired (410, as it must), or still there. */
export type ExpiryCheck = "unchecked" | "expired" | "not-expired" | "failed";

/** What a visitor needs from the crowd that schedules it. */
export interface CrowdContext {
  readonly settings: { heartbeatIntervalMs: number; heartbeatTimeoutMs: number };
  /**
   * How long after a silent visitor's slot should have freed it sends one more heartbeat, to
   * see that it was expired (a 410); null: no check.
   */
  readonly expiryCheckAfterMs: number | null;
  /** Heartbeats and leaves. */
  readonly pool: Dispatcher;
  /** Arrivals. */
  readonly enterPool: Dispatcher;
  /**
   * Held heartbeats, each on a connection of its own (as each browser has its own): they stay
   * open for up to a heartbeat interval and must not queue up other visitors' requests.
   */
  readonly holdPool: Dispatcher;
  /** Held heartbeats sent (their latency is the hold, so it is kept out of the heartbeat figures). */
  heldRequests: number;
  readonly latency: Record<RequestKind, LatencyRecorder>;
  readonly outcomes: Record<RequestKind, OutcomeCounter>;
  readonly abandoned: Record<RequestKind, number>;
  inflight: number;
  stopped: boolean;
  expiredWhileWaiting: number;
  expiredWhileAdmitted: number;
  /** Relative ms since the start of the run. */
  now(): number;
  /** Calls visitor.act() at atMs (relative), unless that is after the run. */
  schedule(visitor: SimVisitor, atMs: number): void;
}

const enterOptions = postOptions("/api/queue/default/enter");
/** Held heartbeats start at most this often (as the waiting page: components/waiting/queue-session.ts). */
const minHeldGapMs = 500;

/** One simulated visitor; also the handler of its own (at most one) request in flight. */
export class SimVisitor extends Exchange {
  phase: VisitorPhase = "pending";
  private kind: RequestKind = "enter";
  dueAt = 0;
  seq = 0;
  admissionNo = -1;
  admittedAtEpochMs = 0;
  lastHeartbeatSentEpochMs = 0;
  /** When the last heartbeat that found it admitted was answered (epoch ms). */
  lastHeartbeatAnsweredEpochMs = 0;
  /** When it first received an answer saying it was admitted (epoch ms): admission -> page. */
  admissionSeenEpochMs = 0;
  /** That answer was a held heartbeat's. */
  admissionSeenHeld = false;
  /** The enter request: sent and answered (epoch ms), for the order in which clients arrived. */
  enterSentEpochMs = 0;
  enterAnsweredEpochMs = 0;
  leaveSentEpochMs = 0;
  leaveAnsweredEpochMs = 0;
  /** When a visitor still waiting was told it had expired (epoch ms). */
  expiredWhileWaitingAtEpochMs = 0;
  /** Its admission tokens as a JWKS verifier sees them (ms), and when they arrived (epoch ms). */
  firstIssuedAtMs = 0;
  firstTokenAtEpochMs = 0;
  lastExpiresAtMs = 0;
  lastTokenAtEpochMs = 0;
  lastAdmissionToken: string | null = null;
  expiryCheck: ExpiryCheck = "unchecked";
  /** Its session ended: it left, or went silent. */
  sessionOver = false;
  private checking = false;
  private sentEpochMs = 0;
  private sessionEndsAt = 0;
  private intervalMs: number;
  private heartbeatOptions: Dispatcher.DispatchOptions | null = null;
  private heldOptions: Dispatcher.DispatchOptions | null = null;
  /** The last status said hold: its next heartbeat is held. */
  private holding = false;
  private sentHeld = false;

  constructor(
    private readonly crowd: CrowdContext,
    readonly silent: boolean,
    private readonly sessionMs: number,
  ) {
    super(true);
    this.intervalMs = crowd.settings.heartbeatIntervalMs;
  }

  /** Its scheduled moment has come: arrive, heartbeat, or end the session. */
  act(nowMs: number): void {
    switch (this.phase) {
      case "pending":
        this.phase = "entering";
        this.enterSentEpochMs = Date.now();
        this.request("enter", enterOptions, this.crowd.enterPool);
        return;
      case "waiting":
        if (this.holding && this.heldOptions) {
          this.crowd.heldRequests++;
          this.request("heartbeat", this.heldOptions, this.crowd.holdPool, true);
        } else this.request("heartbeat", this.heartbeatOptions as Dispatcher.DispatchOptions);
        return;
      case "admitted":
        if (nowMs < this.sessionEndsAt) {
          this.request("heartbeat", this.heartbeatOptions as Dispatcher.DispatchOptions);
        } else if (this.silent) {
          this.phase = "silent";
          this.sessionOver = true;
          const checkAfter = this.crowd.expiryCheckAfterMs;
          if (checkAfter !== null) {
            // Relative time at which the server must have let the slot go, plus the margin.
            const freedAt =
              nowMs + (this.lastHeartbeatAnsweredEpochMs - Date.now()) + this.crowd.settings.heartbeatTimeoutMs;
            this.crowd.schedule(this, freedAt + checkAfter);
          }
        } else {
          const headers = (this.heartbeatOptions as Dispatcher.DispatchOptions).headers as Record<string, string>;
          this.leaveSentEpochMs = Date.now();
          this.sessionOver = true;
          this.request("leave", postOptions("/api/queue/default/leave", headers));
        }
        return;
      case "silent":
        // One late heartbeat, as a tab woken from sleep would send: it must find the place gone.
        if (this.expiryCheck === "unchecked") {
          this.checking = true;
          this.request("heartbeat", this.heartbeatOptions as Dispatcher.DispatchOptions);
        }
        return;
      default:
        return;
    }
  }

  private request(
    kind: RequestKind,
    options: Dispatcher.DispatchOptions,
    dispatcher = this.crowd.pool,
    held = false,
  ): void {
    this.kind = kind;
    this.sentHeld = held;
    this.crowd.inflight++;
    this.sentEpochMs = Date.now();
    this.send(dispatcher, options);
  }

  protected completed(statusCode: number, latencyMs: number, body: Buffer | null): void {
    const crowd = this.crowd;
    crowd.inflight--;
    if (this.checking) {
      this.checking = false;
      this.expiryCheck = statusCode === 410 ? "expired" : "not-expired";
      if (statusCode === 410) this.phase = "expired";
      return;
    }
    if (!this.sentHeld) crowd.latency[this.kind].record(latencyMs);
    crowd.outcomes[this.kind].status(statusCode);
    const nowMs = crowd.now();
    switch (this.kind) {
      case "enter":
        this.enterAnsweredEpochMs = Date.now();
        this.entered(statusCode, body, nowMs);
        return;
      case "heartbeat":
        this.heartbeatAnswered(statusCode, body, nowMs);
        return;
      case "leave":
        this.leaveAnsweredEpochMs = Date.now();
        this.phase = "left";
        return;
    }
  }

  protected failed(error: Error, latencyMs: number): void {
    const crowd = this.crowd;
    crowd.inflight--;
    if (this.checking) {
      this.checking = false;
      this.expiryCheck = "failed";
      return;
    }
    if (crowd.stopped) {
      crowd.abandoned[this.kind]++;
      return;
    }
    if (!this.sentHeld) crowd.latency[this.kind].record(latencyMs);
    crowd.outcomes[this.kind].transport(error);
    // Trouble: plain heartbeats again, as the waiting page does.
    this.holding = false;
    if (this.kind === "enter") this.phase = "rejected";
    else if (this.kind === "heartbeat") crowd.schedule(this, crowd.now() + this.intervalMs);
  }

  private entered(statusCode: number, body: Buffer | null, nowMs: number): void {
    const reply = jsonObject(body);
    const token = reply?.token;
    const seq = typeof token === "string" ? jwtPayload(token)?.seq : undefined;
    if ((statusCode !== 201 && statusCode !== 200) || typeof token !== "string" || typeof seq !== "number") {
      this.phase = "rejected";
      return;
    }
    this.seq = seq;
    const auth = { authorization: `Bearer ${token}` };
    this.heartbeatOptions = postOptions("/api/queue/default/heartbeat", auth);
    const holdMs = Math.round(this.crowd.settings.heartbeatTimeoutMs / 2);
    this.heldOptions = postOptions(`/api/queue/default/heartbeat?hold=${holdMs}`, auth);
    this.phase = "waiting";
    const status = reply?.status;
    this.adoptInterval(status);
    // Admitted in the enter reply itself: the page knows now.
    if (typeof status === "object" && status !== null && (status as Record<string, unknown>).state === "admitted") {
      this.lastHeartbeatSentEpochMs = this.sentEpochMs;
      this.lastHeartbeatAnsweredEpochMs = Date.now();
      this.admit({ ...(status as Record<string, unknown>), admissionToken: reply?.admissionToken }, nowMs);
      this.noteAdmissionToken(reply?.admissionToken);
      this.crowd.schedule(this, Math.min(nowMs + this.intervalMs, this.sessionEndsAt));
      return;
    }
    this.crowd.schedule(this, this.nextHeartbeatAt(status, nowMs));
  }

  private heartbeatAnswered(statusCode: number, body: Buffer | null, nowMs: number): void {
    const crowd = this.crowd;
    if (statusCode === 410) {
      if (this.phase === "admitted") crowd.expiredWhileAdmitted++;
      else {
        crowd.expiredWhileWaiting++;
        this.expiredWhileWaitingAtEpochMs = Date.now();
      }
      this.phase = "expired";
      return;
    }
    if (statusCode !== 200) {
      this.holding = false;
      crowd.schedule(this, nowMs + this.intervalMs);
      return;
    }
    const status = jsonObject(body);
    this.adoptInterval(status);
    if (status?.state === "admitted") {
      this.lastHeartbeatSentEpochMs = this.sentEpochMs;
      this.lastHeartbeatAnsweredEpochMs = Date.now();
      if (this.phase !== "admitted") this.admit(status, nowMs);
      this.noteAdmissionToken(status.admissionToken);
      crowd.schedule(this, Math.min(nowMs + this.intervalMs, this.sessionEndsAt));
      return;
    }
    crowd.schedule(this, this.nextHeartbeatAt(status, nowMs));
  }

  /** Held next when the server says so: at once after the last one (within the minimum gap); else the interval. */
  private nextHeartbeatAt(status: unknown, nowMs: number): number {
    const record = typeof status === "object" && status !== null ? (status as Record<string, unknown>) : null;
    this.holding = record?.hold === true && record.state === "waiting";
    if (!this.holding) return nowMs + this.intervalMs;
    return nowMs + Math.max(0, this.sentEpochMs + minHeldGapMs - Date.now());
  }

  private admit(status: Record<string, unknown>, nowMs: number): void {
    this.phase = "admitted";
    this.holding = false;
    this.admissionSeenEpochMs = Date.now();
    this.admissionSeenHeld = this.sentHeld && this.kind === "heartbeat";
    this.sessionEndsAt = nowMs + this.sessionMs;
    const admittedAt = status.admittedAt;
    this.admittedAtEpochMs = typeof admittedAt === "number" ? admittedAt : this.sentEpochMs;
    const admissionToken = status.admissionToken;
    const adm = typeof admissionToken === "string" ? jwtPayload(admissionToken)?.adm : undefined;
    this.admissionNo = typeof adm === "number" ? adm : -1;
  }

  /** What it held, for the JWKS count (bench/origin-census.ts): gone at the earliest moment it surely was. */
  heldAdmission(settings: { heartbeatTimeoutMs: number }): HeldAdmission {
    let goneAtMs: number | null = null;
    if (this.leaveSentEpochMs > 0) goneAtMs = this.leaveSentEpochMs;
    else if (this.sessionOver || this.phase === "expired") {
      goneAtMs = this.lastHeartbeatSentEpochMs + settings.heartbeatTimeoutMs;
    }
    return {
      firstIssuedAtMs: this.firstIssuedAtMs,
      firstTokenAtMs: this.firstTokenAtEpochMs,
      lastExpiresAtMs: this.lastExpiresAtMs,
      lastTokenAtMs: this.lastTokenAtEpochMs,
      goneAtMs,
    };
  }

  /** Keeps what a JWKS verifier would go by: the first token's iat, the last one's exp. */
  private noteAdmissionToken(token: unknown): void {
    if (typeof token !== "string") return;
    const claims = jwtPayload(token);
    if (typeof claims?.iat !== "number" || typeof claims.exp !== "number") return;
    const nowEpochMs = this.lastHeartbeatAnsweredEpochMs;
    if (this.lastAdmissionToken === null) {
      this.firstIssuedAtMs = claims.iat * 1000;
      this.firstTokenAtEpochMs = nowEpochMs;
    }
    this.lastExpiresAtMs = Math.max(this.lastExpiresAtMs, claims.exp * 1000);
    this.lastTokenAtEpochMs = nowEpochMs;
    this.lastAdmissionToken = token;
  }

  private adoptInterval(status: unknown): void {
    if (typeof status !== "object" || status === null) return;
    const interval = (status as Record<string, unknown>).heartbeatIntervalMs;
    if (typeof interval === "number" && interval > 0) this.intervalMs = interval;
  }
}
