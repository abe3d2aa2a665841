import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { QueueStatus } from "@/server/queue/types";
import { MIN_HELD_GAP_MS, QueueSession, type SessionEvent } from "./queue-session";
import { DEFAULT_RETRY_CAP_MS } from "./retry-delay";

function status(overrides: Partial<QueueStatus> = {}): QueueStatus {
  return {
    room: "default",
    reference: "K7QF-2M",
    state: "waiting",
    position: 3,
    ahead: 2,
    waiting: 10,
    progress: 0.2,
    etaSeconds: 120,
    admissionsPerMinute: 4,
    heartbeatIntervalMs: 5_000,
    heartbeatTimeoutMs: 20_000,
    admittedAt: null,
    sessionEndsAt: null,
    startsAt: null,
    hold: false,
    ...overrides,
  };
}

type Scripted = Response | Error;

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" }, ...init });
}

function setup(replies: Scripted[]) {
  const calls: string[] = [];
  const pages: (string | null)[] = [];
  const events: SessionEvent[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "http://floodgate.test");
    calls.push(url.pathname);
    pages.push(url.searchParams.get("page"));
    const next = replies.shift();
    if (!next) throw new Error("no scripted reply");
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  const session = new QueueSession({ room: "default", onEvent: (e) => events.push(e), fetchImpl, random: () => 0.5 });
  return { session, calls, pages, events };
}

describe("QueueSession", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("enters when there is no place, then heartbeats at the interval the reply asks for", async () => {
    const { session, calls, pages, events } = setup([
      json({ token: "t", status: status({ heartbeatIntervalMs: 3_000 }) }),
      json(status({ position: 2, heartbeatIntervalMs: 7_000 })),
      json(status({ position: 1 })),
    ]);
    session.start(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(["/api/queue/default/enter"]);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(["/api/queue/default/enter", "/api/queue/default/heartbeat"]);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    // Every call of one page load carries the same page id (so its own late heartbeat can't undo its leave).
    expect(new Set(pages).size).toBe(1);
    expect(pages[0]).toMatch(/^[\w-]{4,40}$/);
    expect(events.map((e) => (e.type === "status" ? e.status.position : e.type))).toEqual([3, 2, 1]);
    session.stop();
  });

  it("starts from the server-rendered status without entering", async () => {
    const { session, calls, events } = setup([json(status())]);
    session.start(status({ heartbeatIntervalMs: 4_000 }));
    expect(events).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toEqual(["/api/queue/default/heartbeat"]);
    session.stop();
  });

  it("reports reconnecting on network errors, backs off, and recovers", async () => {
    const { session, calls, events } = setup([new TypeError("offline"), new TypeError("offline"), json(status())]);
    session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events.at(-1)).toEqual({ type: "connection", reconnecting: true });
    // Full jitter, drawn at the middle (random 0.5): half of a 1 s window, then of a 2 s one.
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect(events.slice(-2)).toEqual([
      { type: "connection", reconnecting: false },
      { type: "status", status: status() },
    ]);
    session.stop();
  });

  it("stops heartbeating once the place is gone, and enter() starts again", async () => {
    const { session, calls, events } = setup([
      json({ error: { code: "unknown_token", message: "gone" } }, { status: 401 }),
      json({ token: "t2", status: status({ position: 40 }) }),
    ]);
    session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events.at(-1)).toEqual({ type: "gone", cause: "silence" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    session.heartbeatNow();
    expect(calls).toHaveLength(1);
    session.enter();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.at(-1)).toBe("/api/queue/default/enter");
    expect(events.at(-1)).toEqual({ type: "status", status: status({ position: 40 }) });
    session.stop();
  });

  it("retries a refused enter after Retry-After", async () => {
    const { session, calls, events } = setup([
      json({ error: { code: "room_full", message: "full" } }, { status: 503, headers: { "retry-after": "15" } }),
      json({ token: "t", status: status() }),
    ]);
    session.start(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ type: "refused", code: "room_full", retryInMs: 15_000 }]);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(["/api/queue/default/enter", "/api/queue/default/enter"]);
    session.stop();
  });

  it("treats a malformed 200 as a transient failure, not as a state", async () => {
    const { session, events } = setup([json({ nope: true })]);
    session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events.at(-1)).toEqual({ type: "connection", reconnecting: true });
    session.stop();
  });

  it("resume() heartbeats at once and keeps going while admitted", async () => {
    const admitted = status({
      state: "admitted",
      position: null,
      ahead: null,
      progress: 1,
      heartbeatIntervalMs: 2_000,
      admittedAt: 1,
    });
    const { session, calls, events } = setup([json(admitted), json(admitted)]);
    session.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(["/api/queue/default/heartbeat"]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(2);
    expect(events.every((e) => e.type === "status" && e.status.state === "admitted")).toBe(true);
    session.stop();
  });

  it("wake() after stop() heartbeats only if the session held a place", async () => {
    const { session, calls } = setup([json(status())]);
    session.start(status({ heartbeatIntervalMs: 5_000 }));
    session.stop();
    session.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(["/api/queue/default/heartbeat"]);
    session.stop();

    const gone = setup([json({ error: { code: "token_expired", message: "gone" } }, { status: 410 })]);
    gone.session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    gone.session.stop();
    gone.session.wake();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gone.calls).toHaveLength(1);
  });

  it("does nothing after stop()", async () => {
    const { session, calls } = setup([json(status())]);
    session.start(status({ heartbeatIntervalMs: 1_000 }));
    session.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(0);
  });
});

/** A server that is down (network errors) from `downAtMs` until `upAtMs` (fake time), fine otherwise. */
function outage(downAtMs: number, upAtMs: number, reply: () => Response = () => json(status())) {
  const callsAtMs: number[] = [];
  const events: SessionEvent[] = [];
  const fetchImpl = vi.fn(async () => {
    const nowMs = Date.now();
    callsAtMs.push(nowMs);
    if (nowMs >= downAtMs && nowMs < upAtMs) throw new TypeError("Failed to fetch");
    return reply();
  }) as unknown as typeof fetch;
  return { callsAtMs, events, fetchImpl };
}

function longestGapMs(times: number[]): number {
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, (times[i] as number) - (times[i - 1] as number));
  return longest;
}

describe("QueueSession through an outage", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it.each([
    [20_000, 5_000],
    [8_000, 2_000],
  ])(
    "retries at most every quarter of the %i ms timeout the server announced, and is back within it",
    async (timeoutMs, capMs) => {
      const server = outage(1_000, 61_000, () =>
        json(status({ heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: timeoutMs })),
      );
      // Draws near the top of the window: the slowest schedule jitter can give.
      const session = new QueueSession({
        room: "default",
        onEvent: (e) => server.events.push(e),
        fetchImpl: server.fetchImpl,
        random: () => 0.999,
      });
      session.start(status({ heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: timeoutMs }));
      await vi.advanceTimersByTimeAsync(90_000);
      session.stop();
      const duringOutage = server.callsAtMs.filter((t) => t >= 1_000 && t <= 61_000 + capMs);
      expect(longestGapMs(duringOutage)).toBeLessThanOrEqual(capMs);
      const backAtMs = server.callsAtMs.find((t) => t >= 61_000) as number;
      expect(backAtMs - 61_000).toBeLessThanOrEqual(capMs);
      expect(server.events.filter((e) => e.type === "connection")).toEqual([
        { type: "connection", reconnecting: true },
        { type: "connection", reconnecting: false },
      ]);
    },
  );

  it("before any reply (an admitted page resuming), retries within the safe default", async () => {
    const server = outage(0, 60_000);
    const session = new QueueSession({
      room: "default",
      onEvent: () => {},
      fetchImpl: server.fetchImpl,
      random: () => 0.999,
    });
    session.resume();
    await vi.advanceTimersByTimeAsync(70_000);
    session.stop();
    expect(longestGapMs(server.callsAtMs.filter((t) => t < 60_000 + DEFAULT_RETRY_CAP_MS))).toBeLessThanOrEqual(
      DEFAULT_RETRY_CAP_MS,
    );
  });

  it("caps a long Retry-After by the same bound", async () => {
    const { session, calls } = setup([
      json({ error: { code: "unavailable", message: "down" } }, { status: 503, headers: { "retry-after": "120" } }),
      json(status()),
    ]);
    session.start(status({ heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 20_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(2);
    session.stop();
  });

  it("tells a place lost right after failures (ours) from one lost to silence (the page's)", async () => {
    const expired = () => json({ error: { code: "token_expired", message: "gone" } }, { status: 410 });
    const afterOutage = setup([new TypeError("offline"), json({}, { status: 502 }), expired()]);
    afterOutage.session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(afterOutage.events.at(-1)).toEqual({ type: "gone", cause: "outage" });
    afterOutage.session.stop();

    const silent = setup([expired()]);
    silent.session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(silent.events.at(-1)).toEqual({ type: "gone", cause: "silence" });
    silent.session.stop();

    // A success in between: the trouble is over, the loss is not put down to it.
    const recovered = setup([new TypeError("offline"), json(status({ heartbeatIntervalMs: 1_000 })), expired()]);
    recovered.session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(recovered.events.at(-1)).toEqual({ type: "gone", cause: "silence" });
    recovered.session.stop();
  });

  it.each([
    ["evicted", [], "evicted"],
    ["evicted", [new TypeError("offline")], "evicted"],
    ["ended_by_site", [], "ended_by_site"],
    ["lost", [], "outage"],
    ["timed_out", [], "silence"],
    ["timed_out", [new TypeError("offline")], "outage"],
    ["something_new", [], "silence"],
  ] as const)(
    "says why the server gave (%s, after %j) as the cause the page shows (%s)",
    async (reason, before, cause) => {
      const { session, events } = setup([
        ...before,
        json({ error: { code: "token_expired", reason, message: "gone" } }, { status: 410 }),
      ]);
      session.start(status({ heartbeatIntervalMs: 1_000 }));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(events.at(-1)).toEqual({ type: "gone", cause });
      session.stop();
    },
  );

  it("reads the time limit from session_ended with or without a reason", async () => {
    for (const error of [{ code: "session_ended" }, { code: "session_ended", reason: "session_limit" }]) {
      const { session, events } = setup([json({ error: { ...error, message: "up" } }, { status: 410 })]);
      session.start(status({ heartbeatIntervalMs: 1_000 }));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(events.at(-1)).toEqual({ type: "gone", cause: "session_limit" });
      session.stop();
    }
  });

  it("an expired status right after failures is an outage loss too", async () => {
    const { session, events } = setup([new TypeError("offline"), json(status({ state: "expired", position: null }))]);
    session.start(status({ heartbeatIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.at(-1)).toEqual({ type: "gone", cause: "outage" });
    session.stop();
  });
});

/** A server whose replies take `tookMs` each (fake time); records when each call went out and its hold. */
function heldServer(replies: { reply: Scripted; tookMs: number }[]) {
  const calls: { atMs: number; hold: string | null }[] = [];
  const events: SessionEvent[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://floodgate.test");
    calls.push({ atMs: Date.now(), hold: url.searchParams.get("hold") });
    const next = replies.shift();
    if (!next) return new Promise<Response>(() => {}); // held for ever (until aborted)
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, next.tookMs);
      init?.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
    if (next.reply instanceof Error) throw next.reply;
    return next.reply;
  }) as unknown as typeof fetch;
  const session = new QueueSession({ room: "default", onEvent: (e) => events.push(e), fetchImpl, random: () => 0.5 });
  return { session, calls, events };
}

describe("QueueSession near the front (held heartbeats)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("holds its heartbeat when the server says so, and sends the next one as soon as a hold returns", async () => {
    const front = status({ position: 1, hold: true, heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 20_000 });
    const admitted = status({ state: "admitted", position: null, ahead: null, admittedAt: 1, hold: false });
    const server = heldServer([
      { reply: json(front), tookMs: 5_000 }, // the hold ran out
      { reply: json(admitted), tookMs: 1_200 }, // admitted while held
    ]);
    server.session.start(front);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toEqual([{ atMs: 0, hold: "10000" }]);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.advanceTimersByTimeAsync(1);
    // Not the 1 s interval: at once (reading the body takes one fake tick).
    expect(server.calls).toHaveLength(2);
    expect(server.calls[1]?.hold).toBe("10000");
    const secondAtMs = server.calls[1]?.atMs as number;
    expect(secondAtMs - 5_000).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(secondAtMs + 1_200 - Date.now() + 1);
    // Seen the moment the server answered.
    const seen = server.events.at(-1);
    expect(seen?.type === "status" && seen.status.state).toBe("admitted");
    // Admitted: plain heartbeats at the interval, no hold.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.calls).toHaveLength(3);
    expect(server.calls[2]?.hold).toBeNull();
    expect((server.calls[2]?.atMs as number) - (secondAtMs + 1_200)).toBeGreaterThanOrEqual(4_999);
    server.session.stop();
  });

  it("does not loop when the server answers a hold at once", async () => {
    const front = status({ position: 1, hold: true, heartbeatTimeoutMs: 20_000 });
    const server = heldServer(Array.from({ length: 10 }, () => ({ reply: json(front), tookMs: 0 })));
    server.session.start(front);
    await vi.advanceTimersByTimeAsync(2_000);
    server.session.stop();
    const gaps = server.calls.slice(1).map((c, i) => c.atMs - (server.calls[i]?.atMs ?? 0));
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_HELD_GAP_MS);
  });

  it("falls back to plain heartbeats on trouble, and far back in the line", async () => {
    const front = status({ position: 1, hold: true, heartbeatIntervalMs: 2_000, heartbeatTimeoutMs: 20_000 });
    const back = status({ position: 50, hold: false, heartbeatIntervalMs: 2_000, heartbeatTimeoutMs: 20_000 });
    const server = heldServer([
      { reply: new TypeError("offline"), tookMs: 300 },
      { reply: json(front), tookMs: 0 }, // the retry: plain, then holding again
      { reply: json(back), tookMs: 4_000 },
    ]);
    server.session.start(front);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls[0]?.hold).toBe("10000");
    await vi.advanceTimersByTimeAsync(300 + 500); // the failure, then a jittered retry (random 0.5 of 1 s)
    expect(server.calls[1]).toEqual({ atMs: 800, hold: null });
    await vi.advanceTimersByTimeAsync(MIN_HELD_GAP_MS);
    expect(server.calls[2]).toEqual({ atMs: 800 + MIN_HELD_GAP_MS, hold: "10000" });
    await vi.advanceTimersByTimeAsync(4_000);
    // Told not to hold: the next one waits the interval, unheld.
    expect(server.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.calls[3]).toEqual({ atMs: 800 + MIN_HELD_GAP_MS + 4_000 + 2_000, hold: null });
    server.session.stop();
  });

  it("stop() hangs up a held heartbeat", async () => {
    const front = status({ position: 1, hold: true, heartbeatTimeoutMs: 20_000 });
    let aborted = false;
    const fetchImpl = vi.fn(
      (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => {
            aborted = true;
            reject(new DOMException("aborted", "AbortError"));
          }),
        ),
    ) as unknown as typeof fetch;
    const session = new QueueSession({ room: "default", onEvent: () => {}, fetchImpl });
    session.start(front);
    await vi.advanceTimersByTimeAsync(0);
    session.stop();
    expect(aborted).toBe(true);
  });
});
