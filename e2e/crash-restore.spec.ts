import { expect, test } from "@playwright/test";
import { ownServer } from "./own-server";

// kill -9 loses nothing: every place and admission a visitor was told about is there after a
// restart, and the capacity still holds. Runs its own server process (not the shared one).

const server = ownServer(
  3322,
  {
    FLOODGATE_DEFAULT_ROOM_CAPACITY: "3",
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: "1000",
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "30000",
  },
  "floodgate-crash-",
);
const base = server.base;

async function heartbeat(token: string) {
  const res = await fetch(`${base}/api/queue/default/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as { state?: string; position?: number | null } };
}

test.afterAll(async () => {
  await server.dispose();
});

test("a SIGKILL loses no place and no admission, and capacity holds after restart", async () => {
  test.setTimeout(120_000);
  await server.start();

  const tokens: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${base}/api/queue/default/enter`, { method: "POST" });
    expect(res.status).toBe(201);
    tokens.push(((await res.json()) as { token: string }).token);
  }
  await expect.poll(async () => (await heartbeat(tokens[2] as string)).body.state).toBe("admitted");
  const before = await Promise.all(tokens.map(heartbeat));
  expect(before.map((b) => b.body.state)).toEqual([...Array(3).fill("admitted"), ...Array(9).fill("waiting")]);

  // Arrivals in flight when the process dies: whoever got an answer must still have a place.
  const inFlight = Array.from({ length: 40 }, () =>
    fetch(`${base}/api/queue/default/enter`, { method: "POST" })
      .then(async (res) => (res.status === 201 ? ((await res.json()) as { token: string }).token : null))
      .catch(() => null),
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  await server.kill();
  const answered = (await Promise.all(inFlight)).filter((t): t is string => t !== null);

  await server.start();
  const after = await Promise.all(tokens.map(heartbeat));
  expect(after.map((a) => a.body.state)).toEqual(before.map((b) => b.body.state));
  expect(after.map((a) => a.body.position)).toEqual(before.map((b) => b.body.position));
  for (const token of answered) expect((await heartbeat(token)).status).toBe(200);

  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/floodgate_room_active\{room="default"\} 3\b/);
  expect(metrics).toMatch(/floodgate_room_max_active_observed\{room="default"\} 3\b/);
});
