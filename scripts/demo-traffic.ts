import { parseArgs } from "node:util";
import { Pool } from "undici";
import { z } from "zod";

// npm run demo:traffic -- [--url http://localhost:3000] [--room default] [--minutes 3] [--rate 2]
// Simulated visitors for a local demo, so the admin console's cards and charts move: they
// arrive in a slow wave around --rate per second with a burst now and then, wait in line
// heartbeating at the interval the server asks for, stay 10-60 s once admitted, then leave;
// some give up while waiting and a few go silent so expirations show. Bounded on purpose
// (loopback only, at most maxVisitors, at most 30 minutes); stops by itself or on Ctrl-C,
// sending a leave for everyone still in the room.

const usage = `usage: npm run demo:traffic -- [--url http://localhost:3000] [--room default] [--minutes 3] [--rate 2]
  --url      the Floodgate server (loopback only: localhost, 127.0.0.1 or ::1)
  --room     room id (default "default")
  --minutes  how long to run, at most 30 (default 3)
  --rate     mean arrivals per second, at most 50 (default 2)`;

const maxVisitors = 2_000;
const summaryEveryMs = 10_000;
const requestTimeoutMs = 10_000;
/** The arrival rate swings between 20% and 180% of --rate over this period. */
const wavePeriodMs = 120_000;
const sessionMinMs = 10_000;
const sessionMaxMs = 60_000;
/** Share of visitors who give up after waiting patienceMinMs..patienceMaxMs. */
const impatientShare = 0.3;
const patienceMinMs = 20_000;
const patienceMaxMs = 120_000;
/** Share of visitors who stop heartbeating without leaving (closed laptop, lost network). */
const silentShare = 0.08;
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

const argsSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "--url must be an http(s) URL" })
    .refine((raw) => URL.canParse(raw) && loopbackHosts.has(new URL(raw).hostname), {
      error: "--url must point at this machine (localhost, 127.0.0.1 or ::1): this generator is for local demos only",
    }),
  room: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "--room must be 1-40 lowercase letters, digits or dashes"),
  minutes: z.coerce
    .number({ error: "--minutes must be a number" })
    .positive("--minutes must be above 0")
    .max(30, "--minutes is at most 30"),
  rate: z.coerce
    .number({ error: "--rate must be a number" })
    .positive("--rate must be above 0")
    .max(50, "--rate is at most 50 arrivals per second"),
});
type Args = z.infer<typeof argsSchema>;

function parseCli(): Args {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: "string", default: "http://localhost:3000" },
        room: { type: "string", default: "default" },
        minutes: { type: "string", default: "3" },
        rate: { type: "string", default: "2" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    // One message per option: a malformed --url need not also be called non-local.
    const firstPerOption = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const option = String(issue.path[0]);
      if (!firstPerOption.has(option)) firstPerOption.set(option, issue.message);
    }
    fail(`${[...firstPerOption.values()].join("\n")}\n${usage}`, 2);
  }
  return { ...parsed.data, url: new URL(parsed.data.url).origin };
}

function fail(message: string, exitCode: number): never {
  process.stderr.write(`demo-traffic: ${message}\n`);
  process.exit(exitCode);
}

type State = "entering" | "waiting" | "inside" | "left" | "silent" | "expired" | "turnedAway";
type Reply = { statusCode: number; json: Record<string, unknown> | null };

const random = (min: number, max: number) => min + Math.random() * (max - min);

/** One simulated visitor: the waiting page's behaviour, plus a mind of its own. */
class Visitor {
  state: State = "entering";
  token: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private intervalMs = 5_000;
  private readonly arrivedAtMs = Date.now();
  private admittedAtMs = 0;
  private readonly sessionMs = random(sessionMinMs, sessionMaxMs);
  private readonly patienceMs = Math.random() < impatientShare ? random(patienceMinMs, patienceMaxMs) : Infinity;
  /** Since arrival; may fall in the line or during the visit. */
  private readonly silentAfterMs = Math.random() < silentShare ? random(5_000, 90_000) : Infinity;

  constructor(private readonly crowd: Crowd) {}

  async enter(): Promise<void> {
    const reply = await this.crowd.post("enter");
    if (!reply || (reply.statusCode !== 201 && reply.statusCode !== 200) || typeof reply.json?.token !== "string") {
      this.state = "turnedAway";
      this.crowd.noteRefusal(reply);
      return;
    }
    this.token = reply.json.token;
    this.state = "waiting";
    this.adopt(reply.json.status);
  }

  /** Its moment has come: go silent, give up, end the visit, or heartbeat. */
  private async step(): Promise<void> {
    this.timer = null;
    const nowMs = Date.now();
    if (nowMs - this.arrivedAtMs >= this.silentAfterMs) {
      this.state = "silent";
    } else if (this.state === "waiting" && nowMs - this.arrivedAtMs >= this.patienceMs) {
      this.crowd.gaveUp++;
      await this.leave();
    } else if (this.state === "inside" && nowMs - this.admittedAtMs >= this.sessionMs) {
      this.crowd.finished++;
      await this.leave();
    } else {
      await this.heartbeat();
    }
  }

  private async heartbeat(): Promise<void> {
    const reply = await this.crowd.post("heartbeat", this.token);
    if (this.crowd.stopping) return;
    if (reply?.statusCode === 410 || reply?.statusCode === 404 || reply?.statusCode === 401) {
      // Evicted, drained, timed out or the room is gone: the place is lost.
      this.state = "expired";
      return;
    }
    if (reply?.statusCode === 200) this.adopt(reply.json);
    else this.schedule(); // A hiccup: try again at the usual interval, as the page does.
  }

  async leave(): Promise<void> {
    this.state = "left";
    this.clearTimer();
    await this.crowd.post("leave", this.token);
  }

  /** Takes in a status reply: admission, and when the server wants the next heartbeat. */
  private adopt(status: unknown): void {
    if (typeof status === "object" && status !== null) {
      const { state, heartbeatIntervalMs } = status as Record<string, unknown>;
      if (typeof heartbeatIntervalMs === "number" && heartbeatIntervalMs > 0) this.intervalMs = heartbeatIntervalMs;
      if (state === "admitted" && this.state === "waiting") {
        this.state = "inside";
        this.admittedAtMs = Date.now();
        this.crowd.admitted++;
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.crowd.stopping || this.state === "left" || this.state === "silent") return;
    // Wake at the next heartbeat, or earlier when the visitor means to give up, leave or go quiet.
    const nowMs = Date.now();
    const decideAtMs = Math.min(
      this.arrivedAtMs + this.silentAfterMs,
      this.state === "waiting" ? this.arrivedAtMs + this.patienceMs : Infinity,
      this.state === "inside" ? this.admittedAtMs + this.sessionMs : Infinity,
    );
    const delayMs = Math.max(0, Math.min(this.intervalMs, decideAtMs - nowMs));
    this.timer = setTimeout(() => this.crowd.track(this.step()), delayMs);
  }

  clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The visitors, the connection pool and the arrival schedule. */
class Crowd {
  readonly visitors: Visitor[] = [];
  private readonly pool: Pool;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly startedAtMs = Date.now();
  private readonly refusals = new Map<string, number>();
  private arrivalTimer: NodeJS.Timeout | null = null;
  private burstUntilMs = 0;
  stopping = false;
  admitted = 0;
  finished = 0;
  gaveUp = 0;

  constructor(private readonly args: Args) {
    this.pool = new Pool(args.url, { connections: 32, keepAliveTimeout: 30_000 });
  }

  /** POST /api/queue/:room/<action>; null when the server could not be reached in time. */
  async post(action: "enter" | "heartbeat" | "leave", token: string | null = null): Promise<Reply | null> {
    try {
      const res = await this.pool.request({
        path: `/api/queue/${this.args.room}/${action}`,
        method: "POST",
        headers: token ? { authorization: `Bearer ${token}` } : {},
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
      const text = await res.body.text();
      let json: Record<string, unknown> | null = null;
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {}
      return { statusCode: res.statusCode, json };
    } catch {
      return null;
    }
  }

  track(work: Promise<unknown>): void {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  noteRefusal(reply: Reply | null): void {
    const error = reply?.json?.error as { code?: unknown } | undefined;
    const key = reply ? `${reply.statusCode} ${typeof error?.code === "string" ? error.code : ""}`.trim() : "no answer";
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }

  /** Arrivals per second now: a slow wave around --rate, tripled during a burst. */
  private rateNow(nowMs: number): number {
    const elapsedMs = nowMs - this.startedAtMs;
    const wave = 1 + 0.8 * Math.sin((2 * Math.PI * elapsedMs) / wavePeriodMs);
    if (nowMs >= this.burstUntilMs && Math.random() < 1 / 60) this.burstUntilMs = nowMs + random(3_000, 8_000);
    return this.args.rate * wave * (nowMs < this.burstUntilMs ? 3 : 1);
  }

  /** Poisson arrivals, one step per second (exponential gaps drawn at the current rate). */
  startArrivals(): void {
    const tickMs = 1_000;
    const arriveDuring = () => {
      if (this.stopping) return;
      const ratePerMs = this.rateNow(Date.now()) / 1_000;
      for (let atMs = -Math.log(1 - Math.random()) / ratePerMs; atMs < tickMs; ) {
        setTimeout(() => this.arrive(), atMs);
        atMs += -Math.log(1 - Math.random()) / ratePerMs;
      }
      this.arrivalTimer = setTimeout(arriveDuring, tickMs);
    };
    arriveDuring();
  }

  private arrive(): void {
    if (this.stopping || this.visitors.length >= maxVisitors) return;
    const visitor = new Visitor(this);
    this.visitors.push(visitor);
    this.track(visitor.enter());
  }

  count(state: State): number {
    return this.visitors.filter((v) => v.state === state).length;
  }

  summary(): string {
    const elapsedS = Math.round((Date.now() - this.startedAtMs) / 1_000);
    const clock = `${Math.floor(elapsedS / 60)}:${String(elapsedS % 60).padStart(2, "0")}`;
    const extra = [
      this.count("expired") ? `expired ${this.count("expired")}` : "",
      this.count("turnedAway") ? `turned away ${this.count("turnedAway")}` : "",
    ].filter(Boolean);
    return (
      `[${clock.padStart(5)}] arrived ${this.visitors.length} · waiting ${this.count("waiting")} · ` +
      `inside ${this.count("inside")} · left ${this.count("left")} (gave up ${this.gaveUp}) · ` +
      `silent ${this.count("silent")}${extra.map((part) => ` · ${part}`).join("")}`
    );
  }

  /** Stops arrivals and heartbeats, then sends a leave for everyone who still holds a place. */
  async stop(): Promise<number> {
    this.stopping = true;
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer);
    for (const visitor of this.visitors) visitor.clearTimer();
    await settleWithin([...this.inflight], 5_000);
    // Silent visitors too: otherwise their slots stay taken until the heartbeat timeout.
    const present = this.visitors.filter(
      (v) => v.token && (v.state === "waiting" || v.state === "inside" || v.state === "silent"),
    );
    await settleWithin(
      present.map((v) => this.post("leave", v.token)),
      10_000,
    );
    await this.pool.destroy();
    return present.length;
  }

  refusalSummary(): string {
    return [...this.refusals].map(([key, n]) => `${n}× ${key}`).join(", ");
  }
}

async function settleWithin(work: Promise<unknown>[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(work),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/** GET /api/queue/:room: the server is up and the room exists, before anyone arrives. */
async function checkRoom(args: Args): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${args.url}/api/queue/${args.room}`, { signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch {
    fail(`no answer from ${args.url}: start the demo first (npm run demo)`, 1);
  }
  if (res.status === 404) fail(`${args.url} has no room named "${args.room}" (create it in /admin or pass --room)`, 1);
  if (!res.ok) fail(`${args.url}/api/queue/${args.room} answered ${res.status}`, 1);
}

async function main(): Promise<void> {
  const args = parseCli();
  await checkRoom(args);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(
    `demo traffic → ${args.url}, room "${args.room}": ~${args.rate}/s arriving for ${args.minutes} min ` +
      `(at most ${maxVisitors.toLocaleString("en-US")} visitors). Watch ${args.url}/admin. Ctrl-C stops early.`,
  );
  const crowd = new Crowd(args);
  crowd.startArrivals();
  const summaryTimer = setInterval(() => write(crowd.summary()), summaryEveryMs);

  const reason = await new Promise<string>((resolve) => {
    const endTimer = setTimeout(() => resolve("time is up"), args.minutes * 60_000);
    process.once("SIGINT", () => {
      clearTimeout(endTimer);
      // A second Ctrl-C does not wait for the leaves.
      process.once("SIGINT", () => process.exit(130));
      resolve("interrupted");
    });
    process.once("SIGTERM", () => {
      clearTimeout(endTimer);
      resolve("terminated");
    });
  });
  clearInterval(summaryTimer);
  write(`${reason}: stopping, sending leave for everyone still in the room ...`);
  const atStop = crowd.summary();
  const leavesSent = await crowd.stop();
  write(atStop);
  const refusals = crowd.refusalSummary();
  write(
    `done: ${crowd.visitors.length} arrived, ${crowd.admitted} admitted, ${crowd.finished} left after their visit, ` +
      `${crowd.gaveUp} gave up waiting, ${crowd.count("silent")} went silent, ${crowd.count("expired")} lost their place; ` +
      `${leavesSent} leaves sent at the end${refusals ? `; turned away: ${refusals}` : ""}`,
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1));
