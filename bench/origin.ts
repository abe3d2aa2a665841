import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { verifyWithJwks } from "@/bench/jwks-verifier";
import { jwtPayload } from "@/bench/load";
import {
  type HeldAdmission,
  type JwksReport,
  jwksOverlap,
  type OriginProbe,
  type OverlapReport,
  originOverlap,
} from "@/bench/origin-census";
import { type ManagedProcess, startApp } from "@/bench/server-process";
import { mulberry32 } from "@/server/testing/seeded-random";

// Capacity counted at the origin: visitors wait, are admitted and use the protected path
// (/shop, through proxy.ts) with their admission cookie every few hundred ms, as a browsing
// person's page loads would. Then most leave and the rest go silent, and both keep trying the
// shop with the cookie they still hold (a second tab, a copied cookie). The bench counts, from
// the answers alone, how many distinct admissions the origin accepted at each moment, and
// what an origin verifying by JWKS would accept. Small on purpose: each probe is a Next.js
// request (~700 a second on one core), so the room is small and every admission is probed.

export type OriginSettings = {
  capacity: number;
  arrivals: number;
  arrivalWindowMs: number;
  runMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  leaveGraceMs: number;
  tickMs: number;
  sessionMinMs: number;
  sessionMaxMs: number;
  silentFraction: number;
  probeEveryMs: number;
  seed: number;
};

export type OriginReport = {
  settings: OriginSettings;
  /** Requests to the protected path: accepted (200), refused (307 to the waiting page), anything else. */
  probes: { total: number; accepted: number; refused: number; other: number };
  origin: OverlapReport;
  /** Probes by departed visitors once their slot was surely released: all must be refused, and some must exist. */
  afterDeparture: { probes: number; accepted: number };
  jwks: JwksReport & { verified: number; refused: number; tokenLifetimeMs: number };
  admitted: number;
  /** Admitted visitors who tried the shop during their session; requests of theirs refused meanwhile. */
  browsed: number;
  refusedWhileInside: number;
  departed: { left: number; silent: number };
};

type Visitor = {
  id: string;
  admissionToken: string | null;
  held: HeldAdmission;
  /** When the server must have let its slot go (leave answered + grace; last heartbeat answered + timeout), plus a margin. */
  releasedByMs: number;
  /** Requests to the shop while its session lasted, and how many of them were refused. */
  insideProbes: number;
  insideRefused: number;
};

/** Past a slot's deadline: the next tick, and some slack for the server's event loop. */
const releaseMarginMs = 300;

export async function runOriginBench(settings: OriginSettings, log: (line: string) => void): Promise<OriginReport> {
  log(
    `origin census: capacity ${settings.capacity}, ${settings.arrivals} arrivals over ${settings.arrivalWindowMs / 1000} s, ` +
      `each admission tries /shop every ${settings.probeEveryMs} ms while inside and after it goes`,
  );
  const app = await startApp({
    capacity: settings.capacity,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: settings.arrivals * 2,
    leaveGraceMs: settings.leaveGraceMs,
    tickMs: settings.tickMs,
  });
  try {
    return await census(app, settings);
  } finally {
    await app.stop();
  }
}

async function census(app: ManagedProcess, settings: OriginSettings): Promise<OriginReport> {
  const pool = new Pool(app.origin, { connections: 32, keepAliveTimeout: 60_000 });
  const probes: OriginProbe[] = [];
  const counts = { total: 0, accepted: 0, refused: 0, other: 0 };
  const visitors: Visitor[] = [];
  const departed = { left: 0, silent: 0 };
  const random = mulberry32(settings.seed);
  const t0 = Date.now();
  const endAt = t0 + settings.runMs;
  const post = async (path: string, token: string | null) => {
    const res = await pool.request({
      path,
      method: "POST",
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const probe = async (id: string, token: string) => {
    const sentAtMs = Date.now();
    const res = await pool.request({ path: "/shop", method: "GET", headers: { cookie: `fga_default=${token}` } });
    await res.body.dump();
    const answeredAtMs = Date.now();
    counts.total++;
    const accepted = res.statusCode === 200;
    const refused = res.statusCode === 307 && String(res.headers.location ?? "").includes("/wait/default");
    if (accepted) counts.accepted++;
    else if (refused) counts.refused++;
    else counts.other++;
    if (accepted || refused) probes.push({ admission: id, sentAtMs, answeredAtMs, accepted });
    return accepted;
  };

  const visit = async (index: number, silent: boolean, sessionMs: number) => {
    await sleep((index * settings.arrivalWindowMs) / settings.arrivals);
    const entered = await post("/api/queue/default/enter", null);
    const token = entered.json.token;
    if (typeof token !== "string") return;
    const id = `v${index}`;
    const v: Visitor = {
      id,
      admissionToken: null,
      held: { firstIssuedAtMs: 0, firstTokenAtMs: 0, lastExpiresAtMs: 0, lastTokenAtMs: 0, goneAtMs: null },
      releasedByMs: 0,
      insideProbes: 0,
      insideRefused: 0,
    };
    visitors.push(v);
    let lastBeatSentAt = 0;
    let lastBeatAnsweredAt = 0;
    const beat = async () => {
      lastBeatSentAt = Date.now();
      const answer = await post("/api/queue/default/heartbeat", token);
      const status = answer.json.status as Record<string, unknown> | undefined;
      const admission = (status?.admissionToken ?? answer.json.admissionToken) as unknown;
      if (answer.status !== 200 || typeof admission !== "string") return answer.status === 200 ? "waiting" : "gone";
      const claims = jwtPayload(admission);
      const now = Date.now();
      lastBeatAnsweredAt = now;
      if (!v.admissionToken && typeof claims?.iat === "number") {
        v.held.firstIssuedAtMs = claims.iat * 1000;
        v.held.firstTokenAtMs = now;
      }
      if (typeof claims?.exp === "number") v.held.lastExpiresAtMs = Math.max(v.held.lastExpiresAtMs, claims.exp * 1000);
      v.held.lastTokenAtMs = now;
      v.admissionToken = admission;
      return "admitted";
    };
    // Wait in line.
    let state = await beat();
    while (state === "waiting" && Date.now() < endAt) {
      await sleep(settings.heartbeatIntervalMs);
      state = await beat();
    }
    if (state !== "admitted") return;
    // Browse: heartbeat and load shop pages until the session ends.
    const sessionEndsAt = Date.now() + sessionMs;
    let browsing = true;
    const heartbeats = (async () => {
      while (browsing && Date.now() < endAt) {
        await sleep(Math.min(settings.heartbeatIntervalMs, Math.max(0, sessionEndsAt - Date.now())));
        if (!browsing || Date.now() >= sessionEndsAt) break;
        if ((await beat()) !== "admitted") break;
      }
    })();
    while (Date.now() < sessionEndsAt && Date.now() < endAt) {
      v.insideProbes++;
      if (!(await probe(id, v.admissionToken as string))) v.insideRefused++;
      await sleep(settings.probeEveryMs);
    }
    browsing = false;
    await heartbeats;
    if (Date.now() >= endAt) return;
    // Go: leave, or fall silent; either way the cookie stays in the browser and is tried again.
    if (silent) {
      departed.silent++;
      v.held.goneAtMs = lastBeatSentAt + settings.heartbeatTimeoutMs;
      v.releasedByMs = lastBeatAnsweredAt + settings.heartbeatTimeoutMs + releaseMarginMs;
    } else {
      v.held.goneAtMs = Date.now();
      await post("/api/queue/default/leave", token);
      v.releasedByMs = Date.now() + settings.leaveGraceMs + releaseMarginMs;
      departed.left++;
    }
    let refusals = 0;
    while (refusals < 4 && Date.now() < endAt && Date.now() < v.held.lastExpiresAtMs + settings.probeEveryMs) {
      if (await probe(id, v.admissionToken as string)) refusals = 0;
      else refusals++;
      await sleep(settings.probeEveryMs);
    }
  };

  const runs: Promise<void>[] = [];
  for (let i = 0; i < settings.arrivals; i++) {
    const silent = random() < settings.silentFraction;
    const sessionMs = settings.sessionMinMs + random() * (settings.sessionMaxMs - settings.sessionMinMs);
    runs.push(visit(i, silent, sessionMs));
  }
  await Promise.all(runs);
  const jwksVerdicts = await verifyWithJwks(
    app.origin,
    visitors.flatMap((v) => (v.admissionToken ? [v.admissionToken] : [])),
    "default",
  );
  await pool.close();
  const admitted = visitors.filter((v) => v.admissionToken);
  return {
    settings,
    probes: counts,
    origin: originOverlap(probes),
    afterDeparture: probesAfterRelease(probes, visitors),
    jwks: {
      ...jwksOverlap(admitted.map((v) => v.held)),
      ...jwksVerdicts,
      tokenLifetimeMs: settings.heartbeatTimeoutMs,
    },
    admitted: admitted.length,
    browsed: visitors.filter((v) => v.insideProbes > 0).length,
    refusedWhileInside: visitors.reduce((n, v) => n + v.insideRefused, 0),
    departed,
  };
}

/**
 * Probes a departed visitor sent once its slot was surely released (and may have gone to the
 * next in line): all must be refused, and some must exist, or the scenario proved nothing.
 */
function probesAfterRelease(probes: OriginProbe[], visitors: Visitor[]): { probes: number; accepted: number } {
  const releasedBy = new Map<string, number>();
  for (const v of visitors) if (v.releasedByMs > 0) releasedBy.set(v.id, v.releasedByMs);
  let count = 0;
  let accepted = 0;
  for (const p of probes) {
    const released = releasedBy.get(p.admission);
    if (released === undefined || p.sentAtMs <= released) continue;
    count++;
    if (p.accepted) accepted++;
  }
  return { probes: count, accepted };
}
