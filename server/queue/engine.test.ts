import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { errorCodeOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

const { fixture, restart } = trackEngineFixtures();
const codeOf = errorCodeOf;

describe("QueueEngine", () => {
  it("admits first come, first served, up to capacity", async () => {
    const { engine } = await fixture([testRoom({ capacity: 2 })]);
    const visitors = [];
    for (let i = 0; i < 5; i++) visitors.push(await engine.enter("test", undefined));
    // Room to spare and nobody ahead: in at once, with an admission token in the same reply.
    expect(visitors.map((v) => v.status.state)).toEqual(["admitted", "admitted", "waiting", "waiting", "waiting"]);
    expect(visitors.map((v) => v.status.position)).toEqual([null, null, 1, 2, 3]);
    expect(visitors[0]?.admissionToken).toMatch(/^ey/);
    expect(visitors[2]?.admissionToken).toBeNull();
    await engine.tick();
    const states = await Promise.all(visitors.map((v) => engine.heartbeat("test", v.token)));
    expect(states.map((s) => s.status.state)).toEqual(["admitted", "admitted", "waiting", "waiting", "waiting"]);
    expect(states.map((s) => s.status.position)).toEqual([null, null, 1, 2, 3]);
    expect(states[0]?.admissionToken).toMatch(/^ey/);
    expect(states[2]?.admissionToken).toBeNull();
    expect(engine.roomStats("test")).toMatchObject({ active: 2, waiting: 3, admittedTotal: 2, arrivedTotal: 5 });
  });

  it("admits concurrent arrivals in their own replies while slots are free, first come first served", async () => {
    const { engine } = await fixture([testRoom({ capacity: 30 })]);
    // 50 arrivals at once: each arrives while another's admission is being written.
    const replies = await Promise.all(Array.from({ length: 50 }, () => engine.enter("test", undefined)));
    const seqOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).seq;
    const bySeq = [...replies].sort((a, b) => seqOf(a.token) - seqOf(b.token));
    // The first 30 in line are in, with their admission tokens in the enter reply; nobody else.
    expect(bySeq.map((r) => r.status.state)).toEqual([...Array(30).fill("admitted"), ...Array(20).fill("waiting")]);
    for (const reply of bySeq.slice(0, 30)) expect(reply.admissionToken).toMatch(/^ey/);
    expect(bySeq.slice(30).map((r) => r.status.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Admission numbers follow the places: nobody was passed.
    const numbers = bySeq
      .slice(0, 30)
      .map((r) => JSON.parse(Buffer.from(r.admissionToken?.split(".")[1] ?? "", "base64url").toString()).adm);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(engine.roomStats("test")).toMatchObject({ active: 30, waiting: 20, admittedTotal: 30 });
  });

  it("never exceeds capacity under concurrent arrivals, leaves and ticks", async () => {
    const { engine, store, clock } = await fixture([testRoom({ capacity: 7, heartbeatTimeoutMs: 3_000 })]);
    const tokens: string[] = [];
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 40; round++) {
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) work.push(engine.enter("test", undefined).then((r) => tokens.push(r.token)));
      work.push(engine.tick(), engine.tick());
      for (const token of tokens.slice(-30)) {
        const r = rand();
        if (r < 0.15) work.push(engine.leave("test", token));
        else if (r < 0.8) work.push(engine.heartbeat("test", token).catch(() => null));
      }
      await Promise.all(work);
      clock.advance(400 + Math.floor(rand() * 900));
      const stats = engine.roomStats("test");
      expect(stats.active).toBeLessThanOrEqual(7);
      expect(stats.maxActiveObserved).toBeLessThanOrEqual(7);
    }
    await engine.tick();
    const stored = await store.loadRoomState("test");
    expect(stored.counters.active).toBeLessThanOrEqual(7);
    expect(stored.counters.active).toBe(engine.roomStats("test").active);
    expect(engine.roomStats("test").admittedTotal).toBeGreaterThan(20);
  });

  it("drops a silent visitor after the timeout and gives the slot to the next in line", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 1, heartbeatTimeoutMs: 20_000 })]);
    const first = await engine.enter("test", undefined);
    const second = await engine.enter("test", undefined);
    await engine.tick();
    expect((await engine.heartbeat("test", first.token)).status.state).toBe("admitted");
    clock.advance(19_000);
    await engine.heartbeat("test", second.token);
    await engine.tick();
    expect((await engine.status("test", second.token))?.state).toBe("waiting");
    clock.advance(1_000);
    await engine.tick();
    expect(await codeOf(engine.heartbeat("test", first.token))).toBe("token_expired");
    expect((await engine.heartbeat("test", second.token)).status.state).toBe("admitted");
    expect(engine.roomStats("test")).toMatchObject({ active: 1, expiredTotal: 1 });
  });

  it("releases a place on leave after the grace, unless the visitor comes back (a reload)", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    const a = await engine.enter("test", undefined);
    const b = await engine.enter("test", undefined);
    const c = await engine.enter("test", undefined);
    await engine.leave("test", a.token);
    await engine.leave("test", b.token);
    clock.advance(1_000);
    await engine.heartbeat("test", b.token); // b reloaded the page
    clock.advance(1_500);
    await engine.tick();
    expect(await codeOf(engine.heartbeat("test", a.token))).toBe("token_expired");
    expect((await engine.status("test", b.token))?.position).toBe(1);
    expect((await engine.status("test", c.token))?.position).toBe(2);
    expect(engine.roomStats("test")).toMatchObject({ leftTotal: 1, waiting: 2 });
  });

  it("does not let a heartbeat already in flight from the closing page undo its leave", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    const closing = await engine.enter("test", undefined);
    const reloaded = await engine.enter("test", undefined);
    await engine.leave("test", closing.token, "page-a");
    await engine.heartbeat("test", closing.token, "page-a"); // sent before pagehide, landed after
    await engine.leave("test", reloaded.token, "page-b");
    await engine.heartbeat("test", reloaded.token, "page-c"); // the page the reload brought
    clock.advance(6_500);
    await engine.tick();
    expect(await codeOf(engine.heartbeat("test", closing.token))).toBe("token_expired");
    expect((await engine.status("test", reloaded.token))?.position).toBe(1);
    expect(engine.roomStats("test")).toMatchObject({ leftTotal: 1, waiting: 1 });
  });

  it("keeps the same place when the same token enters again", async () => {
    const { engine } = await fixture([testRoom({ capacity: 0 })]);
    const a = await engine.enter("test", undefined);
    await engine.enter("test", undefined);
    const again = await engine.enter("test", a.token);
    expect(again.resumed).toBe(true);
    expect(again.token).toBe(a.token);
    expect(again.status.position).toBe(1);
  });

  it("restores every place and admission after a restart", async () => {
    const first = await fixture([testRoom({ capacity: 1 })]);
    const a = await first.engine.enter("test", undefined);
    const b = await first.engine.enter("test", undefined);
    const c = await first.engine.enter("test", undefined);
    await first.engine.tick();
    const restarted = await restart(first);
    const { engine } = restarted;
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 2, arrivedTotal: 3, admittedTotal: 1 });
    expect((await engine.heartbeat("test", a.token)).status.state).toBe("admitted");
    expect((await engine.heartbeat("test", b.token)).status.position).toBe(1);
    expect((await engine.heartbeat("test", c.token)).status.position).toBe(2);
    await engine.tick();
    expect(engine.roomStats("test").active).toBe(1);
    const d = await engine.enter("test", undefined);
    expect(d.status.position).toBe(3);
  });

  it.each([
    { label: "garbage", make: async () => "not-a-token" },
    {
      label: "tampered payload",
      make: async (token: string) => {
        const [h, p, s] = token.split(".");
        const claims = JSON.parse(Buffer.from(p as string, "base64url").toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, seq: 1 })).toString("base64url");
        return `${h}.${forged}.${s}`;
      },
    },
    {
      label: "signed with another secret",
      make: async (token: string) => {
        const claims = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());
        return new SignJWT({ room: claims.room, seq: claims.seq })
          .setProtectedHeader({ alg: "HS256" })
          .setJti(claims.jti)
          .setIssuedAt()
          .sign(new TextEncoder().encode("x".repeat(40)));
      },
    },
    {
      label: "alg none",
      make: async (token: string) => {
        const payload = token.split(".")[1];
        return `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.${"A".repeat(43)}`;
      },
    },
  ])("refuses a forged queue token ($label) without crashing", async ({ make }) => {
    const { engine } = await fixture([testRoom({ capacity: 0 })]);
    await engine.enter("test", undefined);
    const victim = await engine.enter("test", undefined);
    const forged = await make(victim.token);
    expect(await codeOf(engine.heartbeat("test", forged))).toBe("invalid_token");
    expect(await engine.status("test", forged)).toBeNull();
    const fresh = await engine.enter("test", forged);
    expect(fresh.resumed).toBe(false);
    expect(fresh.status.position).toBe(3);
  });

  it("refuses a token from another room", async () => {
    const { engine } = await fixture([testRoom({ id: "a" }), testRoom({ id: "b", protectedPaths: ["/b"] })]);
    const inA = await engine.enter("a", undefined);
    expect(await codeOf(engine.heartbeat("b", inA.token))).toBe("invalid_token");
  });

  it("sheds load at the maximum queue length without writing anything", async () => {
    const { engine, store } = await fixture([testRoom({ capacity: 0, maxQueueLength: 2 })]);
    await engine.enter("test", undefined);
    await engine.enter("test", undefined);
    const before = await store.loadRoomState("test");
    expect(await codeOf(engine.enter("test", undefined))).toBe("room_full");
    const after = await store.loadRoomState("test");
    expect(after.counters).toEqual(before.counters);
    expect(after.entries).toHaveLength(2);
  });

  it("turns arrivals away from a closed room", async () => {
    const { engine } = await fixture([testRoom({ mode: "closed" })]);
    expect(await codeOf(engine.enter("test", undefined))).toBe("room_closed");
  });

  it("estimates the wait from measured visit lengths, and says unknown without them", async () => {
    const first = await fixture([testRoom({ capacity: 2, heartbeatTimeoutMs: 10_000 })]);
    const { engine, clock } = first;
    const tokens: string[] = [];
    for (let i = 0; i < 14; i++) tokens.push((await engine.enter("test", undefined)).token);
    // Nothing has ended yet and no typical visit is set: unknown, not a guess.
    expect((await engine.status("test", tokens[13] as string))?.etaSeconds).toBeNull();
    // Every visit lasts exactly 10 s: three rounds of two.
    for (let round = 0; round < 3; round++) {
      for (let step = 0; step < 2; step++) {
        clock.advance(5_000);
        for (const t of tokens) await engine.heartbeat("test", t).catch(() => null);
      }
      for (const t of tokens.slice(2 * round, 2 * round + 2)) await engine.endSessionByToken("test", t);
      await engine.tick();
    }
    // Two inside (just let in), six waiting: the 6th goes in when the third pair of visits from
    // now ends, 30 s on; two slots a 10 s visit make 12 a minute. (The estimate is rebuilt at
    // most every 100 ms.)
    clock.advance(100);
    const status = await engine.status("test", tokens[13] as string);
    expect(status?.state).toBe("waiting");
    expect(status?.position).toBe(6);
    expect(status?.etaSeconds).toBeGreaterThanOrEqual(29);
    expect(status?.etaSeconds).toBeLessThanOrEqual(31);
    expect(status?.admissionsPerMinute).toBe(12);
    // The room's interval, spread by up to ±10% (room-state.test.ts).
    expect(status?.heartbeatIntervalMs).toBeGreaterThanOrEqual(4_500);
    expect(status?.heartbeatIntervalMs).toBeLessThanOrEqual(5_500);

    // A restarted process has measured nothing yet: the ETA is unknown again.
    const restarted = await restart(first);
    const fresh = await restarted.engine.status("test", tokens[13] as string);
    expect(fresh?.position).toBe(6);
    expect(fresh?.etaSeconds).toBeNull();
  });

  it("asks for quicker heartbeats when admission is due before the next regular one", async () => {
    const { engine, clock } = await fixture([
      testRoom({ capacity: 1, heartbeatIntervalMs: 5_000, typicalVisitSeconds: 60 }),
    ]);
    const inside = await engine.enter("test", undefined);
    // The one inside closes the tab: the slot frees when the grace (2 s here) runs out.
    await engine.leave("test", inside.token);
    // (The estimate is rebuilt at most every 100 ms.)
    clock.advance(100);
    const next = await engine.enter("test", undefined);
    expect(next.status.etaSeconds).toBe(2);
    expect(next.status.heartbeatIntervalMs).toBe(2_000);
  });

  it("counts two leaves of one visitor (two tabs closing) as one departure", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 1 })]);
    const inside = await engine.enter("test", undefined);
    const waiting = await engine.enter("test", undefined);
    await Promise.all([engine.leave("test", inside.token), engine.leave("test", inside.token)]);
    clock.advance(500);
    await engine.leave("test", inside.token);
    clock.advance(2_000);
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 1, leftTotal: 1, waiting: 0 });
    expect((await engine.heartbeat("test", waiting.token)).status.state).toBe("admitted");
  });

  it("finds the room guarding a path by longest prefix", async () => {
    const { engine } = await fixture([
      testRoom({ id: "shop", protectedPaths: ["/shop"] }),
      testRoom({ id: "drop", protectedPaths: ["/shop/drop"] }),
    ]);
    expect(engine.roomForPath("/shop")?.id).toBe("shop");
    expect(engine.roomForPath("/shop/item/1")?.id).toBe("shop");
    expect(engine.roomForPath("/shop/drop/42")?.id).toBe("drop");
    expect(engine.roomForPath("/shopping")).toBeNull();
    expect(engine.roomForPath("/")).toBeNull();
  });
});
