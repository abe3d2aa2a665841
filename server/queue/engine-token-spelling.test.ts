import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QueueEngine } from "@/server/queue/engine";
import type { RoomState } from "@/server/queue/room-state";
import { tokenKey, type Visitor } from "@/server/queue/visitor";
import { enterMany, errorCodeOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";
import { allRespellings } from "@/server/testing/token-spellings";

// A visitor is who its verified token says (its id), never the token's string: a re-spelled
// token (base64url's unused bits) is refused, the live index holds one key per visitor, and a
// removed visitor is gone under every spelling.

const { fixture, restart } = trackEngineFixtures();

/** The room's live state, for the index size (the engine keeps it private). */
function roomOf(engine: QueueEngine, roomId = "test"): RoomState {
  const room = (engine as unknown as { rooms: Map<string, RoomState> }).rooms.get(roomId);
  if (!room) throw new Error(`no room ${roomId}`);
  return room;
}

/** Presents every spelling of the token the way the gate does (fast path, then full heartbeat); errors ignored. */
async function heartbeatEverySpelling(engine: QueueEngine, token: string): Promise<void> {
  for (const spelling of [token, ...allRespellings(token)]) {
    if (engine.heartbeatInLine("test", spelling)) continue;
    await engine.heartbeat("test", spelling).catch(() => null);
    await engine.resume("test", spelling).catch(() => null);
  }
}

/** Codes every spelling of a token answers with now: fast path first, as the gate asks. */
async function answersOf(engine: QueueEngine, token: string): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const spelling of [token, ...allRespellings(token)]) {
    if (engine.heartbeatInLine("test", spelling)) {
      codes.add("ok");
      continue;
    }
    codes.add(await errorCodeOf(engine.heartbeat("test", spelling)));
    if (await engine.resume("test", spelling)) codes.add("resumed");
  }
  return codes;
}

describe("queue token spellings", () => {
  it("answers the hot path only for the exact string issued (the gate looks keys up unparsed)", async () => {
    const { engine } = await fixture([testRoom({ capacity: 0 })]);
    const [visitor] = await enterMany(engine, 1);
    const token = visitor?.token ?? "";
    expect(engine.heartbeatInLine("test", token)).not.toBeNull();
    // Near misses of the live token (a character changed, cut or added, padding) and arbitrary text.
    const nearMiss = fc.oneof(
      fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => {
        const at = i % token.length;
        return token.slice(0, at) + c + token.slice(at + 1);
      }),
      fc.nat().map((i) => token.slice(0, i % token.length)),
      fc.string({ maxLength: 3 }).map((extra) => `${token}${extra}`),
      fc.string({ maxLength: 3 }).map((extra) => `${extra}${token}`),
      fc.string({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(nearMiss, fc.constantFrom("test", "Test", "test ", "other", ""), (key, room) => {
        const answered = engine.heartbeatInLine(room, key) !== null;
        expect(answered).toBe(key === token && room === "test");
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses a re-spelled token of a live visitor and keeps one index key per visitor", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })]);
    const visitors = await enterMany(engine, 3);
    for (const { token } of visitors) {
      for (const spelling of allRespellings(token)) {
        expect(engine.heartbeatInLine("test", spelling)).toBeNull();
        expect(await errorCodeOf(engine.heartbeat("test", spelling))).toBe("invalid_token");
      }
      await heartbeatEverySpelling(engine, token);
    }
    const room = roomOf(engine);
    expect(room.byToken.size).toBe(3);
    expect(room.byToken.size).toBe(room.visitors.size);
    expect(engine.holdsSlot("test", visitors[0]?.id ?? "")).toBe(true);
  });

  it("still answers a visitor whose index key another live token holds, by verifying its token", async () => {
    const { engine } = await fixture([testRoom({ capacity: 0 })]);
    const [a, b] = await enterMany(engine, 2);
    if (!a || !b) throw new Error("no visitors");
    const room = roomOf(engine);
    // As when two signatures share their 30 key bits (tokenKey): b's key now points at a.
    room.byToken.set(tokenKey(b.token), room.visitors.get(a.id) as Visitor);
    expect(engine.heartbeatInLine("test", b.token)).toBeNull();
    expect((await engine.heartbeat("test", b.token)).status.position).toBe(2);
    // a answers to its own token only, on the hot path or not.
    expect(engine.heartbeatInLine("test", a.token)?.position).toBe(1);
    expect(await errorCodeOf(engine.heartbeat("test", `${b.token.slice(0, 20)}x${b.token.slice(21)}`))).toBe(
      "invalid_token",
    );
  });

  it("keeps one index key per visitor after a restart, whatever spellings arrive", async () => {
    const first = await fixture([testRoom({ capacity: 1 })]);
    const visitors = await enterMany(first.engine, 3);
    const { engine } = await restart(first);
    for (const { token } of visitors) await heartbeatEverySpelling(engine, token);
    expect(roomOf(engine).byToken.size).toBe(3);
  });

  it.each([
    ["leave + grace", "left"],
    ["silence", "expired"],
    ["eviction", "evicted"],
    ["drain", "drained"],
  ])("answers token_expired or invalid_token under every spelling once removed by %s", async (_label, how) => {
    const { engine, clock } = await fixture([testRoom({ capacity: 1, heartbeatTimeoutMs: 20_000 })]);
    const [inside, waiting] = await enterMany(engine, 2);
    // The drain removes those waiting; every other way removes the one inside.
    const gone = how === "drained" ? waiting : inside;
    if (!gone) throw new Error("no visitor");
    await heartbeatEverySpelling(engine, gone.token);
    if (how === "left") {
      await engine.leave("test", gone.token);
      clock.advance(2_001);
    } else if (how === "expired") {
      clock.advance(20_100);
      // The other one stays alive.
      const other = how === "expired" && gone === inside ? waiting : inside;
      await engine.heartbeat("test", other?.token ?? "").catch(() => null);
    } else if (how === "evicted") {
      await engine.evict("test", gone.id);
    } else {
      await engine.drain("test");
    }
    await engine.tick();
    expect(engine.tokenInfo("test", gone.id)).toBeNull();
    expect(engine.holdsSlot("test", gone.id)).toBe(false);
    const answers = await answersOf(engine, gone.token);
    expect([...answers].every((code) => code === "token_expired" || code === "invalid_token")).toBe(true);
    expect(await errorCodeOf(engine.heartbeat("test", gone.token))).toBe("token_expired");
    expect(roomOf(engine).byToken.size).toBe(roomOf(engine).visitors.size);
  });

  it("keeps an evicted visitor out after the revocation window and after a restart", async () => {
    const first = await fixture([testRoom({ capacity: 1, heartbeatTimeoutMs: 20_000 })]);
    const [inside, next] = await enterMany(first.engine, 2);
    if (!inside || !next) throw new Error("no visitor");
    await heartbeatEverySpelling(first.engine, inside.token);
    await first.engine.evict("test", inside.id);
    // Past every token lifetime: the in-memory revocation is pruned.
    first.clock.advance(60_000);
    await first.engine.heartbeat("test", next.token).catch(() => null);
    await first.engine.tick();
    expect(first.engine.isAdmissionRevoked("test", inside.id)).toBe(false);
    expect(first.engine.holdsSlot("test", inside.id)).toBe(false);
    expect([...(await answersOf(first.engine, inside.token))]).toEqual(["token_expired", "invalid_token"]);

    const { engine } = await restart(first);
    expect(engine.holdsSlot("test", inside.id)).toBe(false);
    expect(await errorCodeOf(engine.heartbeat("test", inside.token))).toBe("token_expired");
    expect(await engine.resume("test", inside.token)).toBeNull();
  });

  it("says who holds a slot: admitted and not gone, in this room", async () => {
    const first = await fixture([testRoom({ capacity: 1 })]);
    const [inside, waiting] = await enterMany(first.engine, 2);
    expect(first.engine.holdsSlot("test", inside?.id ?? "")).toBe(true);
    expect(first.engine.holdsSlot("test", waiting?.id ?? "")).toBe(false);
    expect(first.engine.holdsSlot("other", inside?.id ?? "")).toBe(false);
    expect(first.engine.holdsSlot("test", "nobody")).toBe(false);
    const { engine } = await restart(first);
    expect(engine.holdsSlot("test", inside?.id ?? "")).toBe(true);
    await engine.leave("test", inside?.token ?? "");
    // Within the grace the slot is still theirs (a reload keeps it).
    expect(engine.holdsSlot("test", inside?.id ?? "")).toBe(true);
  });
});
