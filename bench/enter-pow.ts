import { createHash } from "node:crypto";
import { request } from "undici";
import { type ClosedLoopResult, createPool, jsonObject, postOptions, runClosedLoop } from "@/bench/load";
import { signIn } from "@/bench/memory";
import { type PhaseCpu, type startApp, startCpuWatch } from "@/bench/server-process";

// Enter with the proof-of-work challenge on, against the app the heartbeat scenario has just
// measured (its default room holds the line; this room is new). Each arrival is what a browser
// does in a `pow` room: a plain enter answered 403 with a challenge (timed: challenge issue),
// the challenge solved (here, not timed: it is the client's cost), and an enter with the
// solution (timed: the figure to set beside the plain enter). The room's difficulty is the
// lowest allowed, so that solving 20,000 fits in seconds; the gate's check costs the same at
// any difficulty (two HMACs).

export type EnterPowSettings = { arrivals: number; inflight: number; connections: number; heartbeatTimeoutMs: number };

export type EnterPowRun = {
  arrivals: number;
  difficulty: number;
  /** The same number of plain enters into a room without the challenge, on the same app just before. */
  plain: ClosedLoopResult & PhaseCpu & { accepted: number };
  /** Plain enters answered 403 challenge_required, each with a new challenge. */
  challenge: ClosedLoopResult & PhaseCpu;
  /** Enters with a solved challenge: 201 and a place each. */
  enter: ClosedLoopResult & PhaseCpu & { accepted: number };
  /** The generator's time solving them all (one core, node:crypto). */
  solveMs: number;
};

const roomId = "pow-bench";
const plainRoomId = "plain-bench";
const difficulty = 1_000;

type App = Awaited<ReturnType<typeof startApp>>;
type Challenge = { parameters: { salt: string; nonce: string; keyPrefix: string }; signature: string };

export async function runEnterPow(app: App, settings: EnterPowSettings): Promise<EnterPowRun> {
  await createRoom(app.origin, settings, plainRoomId, "off");
  await createRoom(app.origin, settings, roomId, "pow");
  const pool = createPool(app.origin, { connections: settings.connections, pipelining: 1 });
  try {
    const plainEnter = postOptions(`/api/queue/${plainRoomId}/enter`);
    const plainCpu = startCpuWatch(app);
    const plainRun = await runClosedLoop({
      dispatcher: pool,
      inflight: settings.inflight,
      durationMs: 120_000,
      maxRequests: settings.arrivals,
      requestFor: () => plainEnter,
      keepBody: true,
      isOk: (code) => code === 201,
    });
    const plainCpuUse = plainCpu.stop(plainRun.elapsedMs);

    const challenges: Challenge[] = [];
    const plain = postOptions(`/api/queue/${roomId}/enter`);
    const challengeCpu = startCpuWatch(app);
    const challenge = await runClosedLoop({
      dispatcher: pool,
      inflight: settings.inflight,
      durationMs: 120_000,
      maxRequests: settings.arrivals,
      requestFor: () => plain,
      keepBody: true,
      isOk: (code) => code === 403,
      onReply: (_n, statusCode, body) => {
        const error = jsonObject(body)?.error as { challenge?: Challenge } | undefined;
        if (statusCode === 403 && error?.challenge) challenges.push(error.challenge);
      },
    });
    const challengeCpuUse = challengeCpu.stop(challenge.elapsedMs);

    const solveStart = performance.now();
    const bodies = challenges.map((c) => JSON.stringify({ pow: solve(c) }));
    const solveMs = performance.now() - solveStart;

    const requests = bodies.map((body) => ({
      ...postOptions(`/api/queue/${roomId}/enter`, { "content-type": "application/json" }),
      body,
    }));
    const enterCpu = startCpuWatch(app);
    const enter = await runClosedLoop({
      dispatcher: pool,
      inflight: settings.inflight,
      durationMs: 120_000,
      maxRequests: requests.length,
      requestFor: (n) => requests[n] ?? plain,
      keepBody: true,
      isOk: (code) => code === 201,
    });
    const enterCpuUse = enterCpu.stop(enter.elapsedMs);
    return {
      arrivals: settings.arrivals,
      difficulty,
      plain: { ...plainRun, ...plainCpuUse, accepted: plainRun.ok },
      challenge: { ...challenge, ...challengeCpuUse },
      enter: { ...enter, ...enterCpuUse, accepted: enter.ok },
      solveMs,
    };
  } finally {
    await pool.close();
  }
}

/** A paused room, with the challenge or without, made through the admin API as an operator would. */
async function createRoom(
  origin: string,
  settings: EnterPowSettings,
  id: string,
  challenge: "off" | "pow",
): Promise<void> {
  const session = await signIn(origin);
  if (!session) throw new Error("pow bench: could not sign in as the bench admin");
  const res = await request(`${origin}/api/admin/rooms`, {
    method: "POST",
    headers: { cookie: session, "content-type": "application/json" },
    body: JSON.stringify({
      id,
      name: `Bench ${id}`,
      capacity: 0,
      heartbeatIntervalMs: 60_000,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      maxQueueLength: settings.arrivals * 2,
      mode: "fifo",
      protectedPaths: [`/${id}`],
      challenge,
      challengeDifficulty: difficulty,
    }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`pow bench: creating the room answered ${res.statusCode}: ${text}`);
}

/** ALTCHA v2, SHA-256 once per try: the counter whose hash starts with the prefix, as a payload. */
export function solve(challenge: Challenge): string {
  const salt = Buffer.from(challenge.parameters.salt, "hex");
  const nonce = Buffer.from(challenge.parameters.nonce, "hex");
  const prefix = Buffer.from(challenge.parameters.keyPrefix, "hex");
  const input = Buffer.concat([salt, nonce, Buffer.alloc(4)]);
  for (let counter = 0; counter <= 0xffff_ffff; counter++) {
    input.writeUInt32BE(counter, input.length - 4);
    const key = createHash("sha256").update(input).digest();
    if (key.subarray(0, prefix.length).equals(prefix)) {
      const solution = { counter, derivedKey: key.toString("hex") };
      return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
    }
  }
  throw new Error("pow bench: no solution");
}
