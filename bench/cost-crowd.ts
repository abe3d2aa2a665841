import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import type { CostSettings } from "@/bench/cost";
import type { ManagedProcess } from "@/bench/server-process";
import { mulberry32 } from "@/server/testing/seeded-random";

// The cost scenario's visitors (bench/cost.ts): each waits and heartbeats at the interval the
// server gives, may give up, and once admitted browses, then leaves or goes silent.

type Phase = "entering" | "waiting" | "admitted" | "left" | "silent" | "expired" | "rejected";

const api = (action: string) => `/api/queue/default/${action}`;

/** The simulated visitors: one timer and at most one request each. */
export class CostCrowd {
  private readonly pool: Pool;
  private readonly random: () => number;
  private readonly visitors: CostVisitor[] = [];
  private stopped = false;
  private inWindow = false;
  private windowHeartbeats = 0;
  private arrivalTimer: NodeJS.Timeout | null = null;
  readonly heartbeatAnswers = new Map<string, number>();
  transportErrors = 0;
  expiredWhileHeartbeating = 0;
  inflight = 0;

  constructor(
    app: ManagedProcess,
    readonly settings: CostSettings,
  ) {
    this.pool = new Pool(app.origin, { connections: settings.connections, keepAliveTimeout: 60_000 });
    this.random = mulberry32(settings.seed);
  }

  /** `count` visitors enter, a few dozen at a time; resolves with how many got a place. */
  async enterCrowd(count: number): Promise<number> {
    let next = 0;
    let accepted = 0;
    const worker = async () => {
      while (next < count && !this.stopped) {
        next++;
        if (await this.arrive()) accepted++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, count) }, worker));
    return accepted;
  }

  startWindow(): void {
    this.inWindow = true;
    const everyMs = this.settings.arrivalsPerSecond > 0 ? 1000 / this.settings.arrivalsPerSecond : 0;
    if (everyMs > 0) this.arrivalTimer = setInterval(() => void this.arrive(), everyMs);
  }

  /** Ends the window; answers the heartbeats sent in it. */
  stopWindow(): number {
    this.inWindow = false;
    if (this.arrivalTimer) clearInterval(this.arrivalTimer);
    return this.windowHeartbeats;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.arrivalTimer) clearInterval(this.arrivalTimer);
    for (const visitor of this.visitors) if (visitor.timer) clearTimeout(visitor.timer);
    const until = Date.now() + 10_000;
    while (this.inflight > 0 && Date.now() < until) await sleep(20);
    await this.pool.destroy();
  }

  phases(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const visitor of this.visitors) counts[visitor.phase] = (counts[visitor.phase] ?? 0) + 1;
    return counts;
  }

  private async arrive(): Promise<boolean> {
    const s = this.settings;
    const visitor: CostVisitor = {
      phase: "entering",
      headers: {},
      timer: null,
      sessionMs: s.sessionMinMs + this.random() * (s.sessionMaxMs - s.sessionMinMs),
      leavesAfterSession: this.random() < s.admittedLeaveFraction,
      abandonByLeaving: this.random() < 0.5,
      sessionEndsAt: Infinity,
      intervalMs: s.heartbeatIntervalMs,
    };
    this.visitors.push(visitor);
    const reply = await this.post(api("enter"), {});
    const token = reply?.body?.token;
    if (!reply || (reply.status !== 201 && reply.status !== 200) || typeof token !== "string") {
      visitor.phase = "rejected";
      return false;
    }
    visitor.headers = { authorization: `Bearer ${token}` };
    visitor.phase = "waiting";
    this.adoptInterval(visitor, reply.body?.status);
    // The first heartbeat somewhere within one interval: a crowd entering together spreads out.
    this.schedule(visitor, this.random() * visitor.intervalMs);
    return true;
  }

  private schedule(visitor: CostVisitor, delayMs: number): void {
    if (this.stopped) return;
    visitor.timer = setTimeout(() => void this.act(visitor), delayMs);
  }

  private async act(visitor: CostVisitor): Promise<void> {
    visitor.timer = null;
    const now = Date.now();
    if (visitor.phase === "waiting" && this.random() < this.abandonPerHeartbeat(visitor)) {
      if (visitor.abandonByLeaving) return this.leave(visitor);
      visitor.phase = "silent";
      return;
    }
    if (visitor.phase === "admitted" && now >= visitor.sessionEndsAt) {
      if (visitor.leavesAfterSession) return this.leave(visitor);
      visitor.phase = "silent";
      return;
    }
    if (this.inWindow) this.windowHeartbeats++;
    const reply = await this.post(api("heartbeat"), visitor.headers);
    if (!reply) return this.schedule(visitor, visitor.intervalMs);
    const status = String(reply.status);
    this.heartbeatAnswers.set(status, (this.heartbeatAnswers.get(status) ?? 0) + 1);
    if (reply.status === 410) {
      this.expiredWhileHeartbeating++;
      visitor.phase = "expired";
      return;
    }
    if (reply.status === 200) {
      this.adoptInterval(visitor, reply.body);
      if (reply.body?.state === "admitted" && visitor.phase === "waiting") {
        visitor.phase = "admitted";
        visitor.sessionEndsAt = Date.now() + visitor.sessionMs;
      }
    }
    const untilSessionEnd = visitor.sessionEndsAt - Date.now();
    this.schedule(visitor, Math.max(0, Math.min(visitor.intervalMs, untilSessionEnd)));
  }

  private async leave(visitor: CostVisitor): Promise<void> {
    visitor.phase = "left";
    await this.post(api("leave"), visitor.headers);
  }

  /** The per-minute hazard of giving up, over one heartbeat interval. */
  private abandonPerHeartbeat(visitor: CostVisitor): number {
    return 1 - (1 - this.settings.abandonPerMinute) ** (visitor.intervalMs / 60_000);
  }

  private adoptInterval(visitor: CostVisitor, status: unknown): void {
    const interval = (status as { heartbeatIntervalMs?: unknown } | undefined)?.heartbeatIntervalMs;
    if (typeof interval === "number" && interval > 0) visitor.intervalMs = interval;
  }

  private async post(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> | null } | null> {
    this.inflight++;
    try {
      const res = await this.pool.request({ path, method: "POST", headers, headersTimeout: 30_000 });
      const text = await res.body.text();
      let body: Record<string, unknown> | null = null;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      return { status: res.statusCode, body };
    } catch {
      if (!this.stopped) this.transportErrors++;
      return null;
    } finally {
      this.inflight--;
    }
  }
}

type CostVisitor = {
  phase: Phase;
  headers: Record<string, string>;
  timer: NodeJS.Timeout | null;
  sessionMs: number;
  leavesAfterSession: boolean;
  abandonByLeaving: boolean;
  sessionEndsAt: number;
  intervalMs: number;
};
