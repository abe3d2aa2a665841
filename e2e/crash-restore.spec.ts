import { expect, test } from "@playwright/test";
import { createOriginCensus, describeCensus } from "./origin-census";
import { ownServer } from "./own-server";

// kill -9 loses nothing: every place and admission a visitor was told about is there after a
// restart, and the capacity still holds, counted by the engine and from outside by the shop
// (e2e/origin-census.ts). Runs its own server process (not the shared one).

const capacity = 3;
const server = ownServer(
  3322,
  {
    FLOODGATE_DEFAULT_ROOM_CAPACITY: String(capacity),
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: "1000",
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "30000",
    FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: "/shop",
    FLOODGATE_LEAVE_GRACE_MS: "500",
  },
  "floodgate-crash-",
);
const base = server.base;

type Beat = { status: number; body: { state?: string; position?: number | null; admissionToken?: string | null } };

async function heartbeat(token: string): Promise<Beat> {
  const res = await fetch(`${base}/api/queue/default/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as Beat["body"] };
}

async function enter(): Promise<{ token: string; admissionToken: string | null }> {
  const res = await fetch(`${base}/api/queue/default/enter`, { method: "POST" });
  expect(res.status).toBe(201);
  return (await res.json()) as { token: string; admissionToken: string | null };
}

/** One arrival of the stream sent while the process is killed, as its client saw it. */
type Arrival = {
  sentAtMs: number;
  answeredAtMs: number | null;
  status: number | null;
  token: string | null;
  /** The request failed without an answer (connection reset or refused). */
  failed: boolean;
};

test.afterAll(async () => {
  await server.dispose();
});

test("a SIGKILL loses no place and no admission, and capacity holds after restart", async () => {
  test.setTimeout(120_000);
  await server.start();
  const census = createOriginCensus({ baseUrl: base, cookieName: "fga_default" });

  const tokens: string[] = [];
  for (let i = 0; i < 12; i++) tokens.push((await enter()).token);
  await expect.poll(async () => (await heartbeat(tokens[2] as string)).body.state).toBe("admitted");
  const before = await Promise.all(tokens.map(heartbeat));
  expect(before.map((b) => b.body.state)).toEqual([
    ...Array(capacity).fill("admitted"),
    ...Array(12 - capacity).fill("waiting"),
  ]);
  before.forEach((b, i) => {
    census.add(`visitor ${i}`, b.body.admissionToken);
  });
  census.start(100);

  // Arrivals keep coming, four at a time every 10 ms, and the process dies among them: once a
  // few have been answered, right after a group was sent (so that group is surely in flight).
  const arrivals: Arrival[] = [];
  const pending: Promise<void>[] = [];
  let killedAtMs = 0;
  let inFlightAtKill = 0;
  // Of those, sent at least 20 ms before the kill: had time to reach the server (for the record).
  let inFlightSentEarly = 0;
  for (let round = 0; round < 500 && killedAtMs === 0; round++) {
    for (let i = 0; i < 4; i++) {
      const arrival: Arrival = { sentAtMs: Date.now(), answeredAtMs: null, status: null, token: null, failed: false };
      arrivals.push(arrival);
      pending.push(
        fetch(`${base}/api/queue/default/enter`, { method: "POST" })
          .then(async (res) => {
            const body = (await res.json().catch(() => null)) as { token?: string } | null;
            arrival.answeredAtMs = Date.now();
            arrival.status = res.status;
            arrival.token = res.status === 201 ? (body?.token ?? null) : null;
          })
          .catch(() => {
            arrival.failed = true;
          }),
      );
    }
    if (arrivals.filter((a) => a.status === 201).length >= 8) {
      const unansweredNow = arrivals.filter((a) => a.answeredAtMs === null && !a.failed);
      killedAtMs = Date.now();
      inFlightAtKill = unansweredNow.length;
      inFlightSentEarly = unansweredNow.filter((a) => a.sentAtMs <= killedAtMs - 20).length;
      await server.kill();
    } else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  expect(killedAtMs, "the process was killed among the arrivals").toBeGreaterThan(0);
  const answeredBeforeKill = arrivals.filter((a) => a.answeredAtMs !== null && a.answeredAtMs < killedAtMs);
  expect(answeredBeforeKill.length, "arrivals answered before the kill").toBeGreaterThanOrEqual(8);
  expect(inFlightAtKill, "arrivals in flight at the kill").toBeGreaterThanOrEqual(4);

  await server.start();
  const restartedAtMs = Date.now();
  const after = await Promise.all(tokens.map(heartbeat));
  expect(after.map((a) => a.body.state)).toEqual(before.map((b) => b.body.state));
  expect(after.map((a) => a.body.position)).toEqual(before.map((b) => b.body.position));

  // Every arrival is accounted for: answered with a place (before the kill or just after it was
  // sent) and still holding it, or refused / cut off without a place and let in line on retry.
  const answered = arrivals.filter((a) => a.token !== null);
  const unanswered = arrivals.filter((a) => a.token === null);
  for (const arrival of answered) {
    const beat = await heartbeat(arrival.token as string);
    expect(beat.status, `an arrival answered ${(arrival.answeredAtMs ?? 0) - killedAtMs} ms from the kill`).toBe(200);
    expect(beat.body.state).toBe("waiting");
  }
  for (const arrival of unanswered) {
    expect(arrival.failed || (arrival.status !== null && arrival.status >= 500), "refused, not lost").toBe(true);
    const retried = await enter();
    expect((await heartbeat(retried.token)).status).toBe(200);
  }
  expect(answered.length + unanswered.length).toBe(arrivals.length);
  const summary = `crash-restore: ${arrivals.length} arrivals, ${answeredBeforeKill.length} answered before the kill, ${inFlightAtKill} in flight at it (${inFlightSentEarly} sent 20 ms or more before it); ${answered.length} kept their place, ${unanswered.length} cut off and retried`;
  process.stdout.write(`${summary}\n`);
  test.info().annotations.push({ type: "arrivals", description: summary });

  // The first visitor leaves; the first in line takes the slot, and the leaver's cookie stops
  // opening the shop at once.
  const leaverAdmission = after[0]?.body.admissionToken;
  expect(
    (
      await fetch(`${base}/api/queue/default/leave`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[0]}` },
      })
    ).status,
  ).toBe(204);
  await expect
    .poll(async () => (await heartbeat(tokens[capacity] as string)).body.state, { timeout: 10_000 })
    .toBe("admitted");
  const next = await heartbeat(tokens[capacity] as string);
  census.add(`visitor ${capacity}`, next.body.admissionToken);
  const shop = await fetch(`${base}/shop`, {
    headers: { cookie: `fga_default=${leaverAdmission}` },
    redirect: "manual",
  });
  expect(shop.status, "the shop, with the cookie of the visitor who left").toBe(307);
  await new Promise((resolve) => setTimeout(resolve, 500));

  const report = await census.stop();
  const line = describeCensus(report);
  test.info().annotations.push({ type: "origin census", description: line });
  // The three admissions from before the kill open the shop after the restart too.
  for (let i = 0; i < capacity; i++) {
    expect(census.admission(`visitor ${i}`)?.lastAcceptedAtMs ?? 0, `visitor ${i} after the restart`).toBeGreaterThan(
      restartedAtMs,
    );
  }
  expect(census.admission(`visitor ${capacity}`)?.acceptedProbes ?? 0, line).toBeGreaterThan(0);
  expect(report.maxAccepted, line).toBeLessThanOrEqual(capacity);

  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/floodgate_room_active\{room="default"\} 3\b/);
  expect(metrics).toMatch(/floodgate_room_max_active_observed\{room="default"\} 3\b/);
});
