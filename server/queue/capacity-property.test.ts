import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "@/server/api/errors";
import { createAdmissionCheck } from "@/server/queue/admission-check";
import type { QueueEngine } from "@/server/queue/engine";
import type { RoomState } from "@/server/queue/room-state";
import { type EngineFixture, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";
import { testDataDir } from "@/server/testing/temp-db";
import { tokenRespellings } from "@/server/testing/token-spellings";
import { type AdmissionTokens, createAdmissionTokens } from "@/server/tokens/admission-token";
import { loadSecrets } from "@/server/tokens/secrets";

// Exact capacity as the protected path sees it: over random visitor lifecycles (arrivals,
// heartbeats, leaves, silence, evictions, drains, admissions out of turn, capacity changes,
// restarts) in which every token may be presented under any spelling (base64url's unused bits
// in any segment, or a random mutation), the visitors whose latest admission token passes the
// check proxy.ts runs are never more than capacity.
//
// "Capacity" is the highest capacity in effect since the oldest of them was admitted: lowering
// capacity evicts nobody (server/queue/README.md), so those already inside may exceed the new
// value until enough have gone; nobody new may be let in meanwhile.

const { fixture, restart } = trackEngineFixtures();
const heartbeatTimeoutMs = 20_000;

type Spelling = { segment: number; variant: number; mutation: { at: number; char: string } | null };
type Action =
  | { kind: "enter" }
  | { kind: "heartbeat" | "resume" | "leave"; who: number; spelling: Spelling }
  | { kind: "advance"; ms: number }
  | { kind: "tick" }
  | { kind: "evict" | "admitNow"; who: number }
  | { kind: "drain" }
  | { kind: "capacity"; capacity: number }
  | { kind: "override"; capacity: number | null }
  | { kind: "restart" };

const spellingArb: fc.Arbitrary<Spelling> = fc.record({
  // -1: as issued. Most presentations in the wild are; the rest try each segment.
  segment: fc.constantFrom(-1, -1, 0, 1, 2, 2),
  variant: fc.nat({ max: 15 }),
  mutation: fc.option(fc.record({ at: fc.nat({ max: 400 }), char: fc.constantFrom(..."AQgw_-=.+/aZ09".split("")) }), {
    freq: 8,
  }),
});
const who = fc.nat({ max: 11 });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "enter" as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("heartbeat" as const), who, spelling: spellingArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resume" as const), who, spelling: spellingArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("leave" as const), who, spelling: spellingArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.oneof(fc.integer({ min: 100, max: 3_000 }), fc.integer({ min: 19_000, max: 25_000 })),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: "tick" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("evict" as const), who }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("admitNow" as const), who }) },
  { weight: 1, arbitrary: fc.constant({ kind: "drain" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("capacity" as const), capacity: fc.integer({ min: 0, max: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("override" as const),
      capacity: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "restart" as const }) },
);

function spell(token: string, { segment, variant, mutation }: Spelling): string {
  let spelled = token;
  if (segment >= 0) {
    const variants = tokenRespellings(token, segment);
    if (variants.length) spelled = variants[variant % variants.length] as string;
  }
  if (mutation) {
    const at = mutation.at % spelled.length;
    spelled = spelled.slice(0, at) + mutation.char + spelled.slice(at + 1);
  }
  return spelled;
}

type CheckFactory = (deps: {
  admissionTokens: AdmissionTokens;
  /** The engine now: a restart replaces it. */
  engine: () => QueueEngine;
}) => (roomId: string, token: string | undefined) => Promise<boolean>;

/** What proxy.ts runs (runtime.verifyAdmission, server/floodgate.ts), failing closed. */
const runtimeCheck: CheckFactory = ({ admissionTokens, engine }) =>
  createAdmissionCheck({
    admissionTokens,
    holdsSlot: (roomId, visitorId) => engine().holdsSlot(roomId, visitorId),
    failingOpen: () => false,
  });

/** The room's live state (the engine keeps it private): the index's size is checked too. */
function roomOf(engine: QueueEngine, room: string): RoomState {
  const state = (engine as unknown as { rooms: Map<string, RoomState> }).rooms.get(room);
  if (!state) throw new Error(`no room ${room}`);
  return state;
}

/** Refusals are answers too (expired, invalid, full, ...); anything else fails the property. */
async function answered<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}

/** An engine and its store, shared by the runs (a restart replaces it); each run has a room of its own. */
type Lab = { f: EngineFixture; admissionTokens: AdmissionTokens; rooms: number };

async function openLab(): Promise<Lab> {
  const f = await fixture([testRoom({ heartbeatTimeoutMs })]);
  const admissionTokens = await createAdmissionTokens(await loadSecrets({ dataDir: testDataDir(f.databaseUrl) }));
  return { f, admissionTokens, rooms: 0 };
}

/** Runs the actions in a new room (capacity 1), restarting the engine on the same store when asked; checks after each. */
async function runLifecycle(lab: Lab, actions: Action[], checkFor: CheckFactory = runtimeCheck): Promise<void> {
  const room = `run-${++lab.rooms}`;
  await lab.f.engine.createRoom(testRoom({ id: room, capacity: 1, heartbeatTimeoutMs, protectedPaths: [`/${room}`] }));
  const verifyAdmission = checkFor({ admissionTokens: lab.admissionTokens, engine: () => lab.f.engine });
  try {
    await checkEachStep(lab, room, actions, verifyAdmission);
  } finally {
    // Restarts then load only the room of the run under way.
    await lab.f.engine.deleteRoom(room, { force: true });
  }
}

async function checkEachStep(
  lab: Lab,
  room: string,
  actions: Action[],
  verifyAdmission: (roomId: string, token: string | undefined) => Promise<boolean>,
): Promise<void> {
  /** Queue tokens as issued, in arrival order. */
  const tokens: string[] = [];
  /** Each visitor's latest admission token. */
  const latestAdmission = new Map<string, string>();
  /** The step at which each visitor was first seen admitted. */
  const admittedAtStep = new Map<string, number>();
  /** Capacity in effect after each step. */
  const capacityAtStep: number[] = [];

  const track = (token: string, admissionToken: string | null) => {
    if (!tokens.includes(token)) tokens.push(token);
    if (admissionToken) latestAdmission.set(idOf(token), admissionToken);
  };
  const pick = (index: number) => (tokens.length ? (tokens[index % tokens.length] as string) : null);

  for (const [step, action] of actions.entries()) {
    const { engine, clock } = lab.f;
    switch (action.kind) {
      case "enter": {
        const entered = await answered(engine.enter(room, undefined));
        if (entered) track(entered.token, entered.admissionToken);
        break;
      }
      case "heartbeat": {
        const token = pick(action.who);
        if (!token) break;
        const spelled = spell(token, action.spelling);
        // As the gate does: the allocation-free path first, the full one for admitted or unknown tokens.
        const beat = engine.heartbeatInLine(room, spelled) ?? (await answered(engine.heartbeat(room, spelled)));
        if (beat && "admissionToken" in beat && beat.admissionToken) {
          latestAdmission.set(idOf(token), beat.admissionToken);
        }
        // Only a live visitor is answered: a removed one is gone under every spelling.
        if (beat && !engine.tokenInfo(room, idOf(token)))
          throw new Error(`step ${step}: a removed visitor was answered`);
        break;
      }
      case "resume": {
        const token = pick(action.who);
        if (!token) break;
        // A refused token joins the line afresh, as the waiting page's enter does.
        const entered = await answered(engine.enter(room, spell(token, action.spelling)));
        if (entered) track(entered.resumed ? token : entered.token, entered.admissionToken);
        if (entered?.resumed && !engine.tokenInfo(room, idOf(token))) {
          throw new Error(`step ${step}: a removed visitor resumed`);
        }
        break;
      }
      case "leave": {
        const token = pick(action.who);
        if (token) await answered(engine.leave(room, spell(token, action.spelling)));
        break;
      }
      case "advance":
        clock.advance(action.ms);
        await engine.tick();
        break;
      case "tick":
        await engine.tick();
        break;
      case "evict":
      case "admitNow": {
        const token = pick(action.who);
        if (!token) break;
        if (action.kind === "evict") await answered(engine.evict(room, idOf(token)));
        else await answered(engine.admitNow(room, idOf(token)));
        break;
      }
      case "drain":
        await engine.drain(room);
        break;
      case "capacity":
        await engine.updateRoom(room, { capacity: action.capacity });
        break;
      case "override":
        engine.setCapacityOverride(room, action.capacity);
        break;
      case "restart":
        lab.f = await restart(lab.f);
        break;
    }

    // Who the engine has admitted by now (a status read, not a heartbeat).
    for (const token of tokens) {
      const id = idOf(token);
      if (admittedAtStep.has(id)) continue;
      if ((await lab.f.engine.status(room, token))?.state === "admitted") admittedAtStep.set(id, step);
    }
    capacityAtStep.push(lab.f.engine.effectiveCapacity(room));

    // The live index is a cache of one canonical string per live visitor, never more.
    const live = roomOf(lab.f.engine, room);
    if (live.byToken.size > live.visitors.size) {
      throw new Error(
        `step ${step} (${action.kind}): ${live.byToken.size} index keys for ${live.visitors.size} visitors`,
      );
    }

    const valid: string[] = [];
    for (const [id, admissionToken] of latestAdmission) {
      if (await verifyAdmission(room, admissionToken)) valid.push(id);
    }
    if (!valid.length) continue;
    const since = Math.min(...valid.map((id) => admittedAtStep.get(id) ?? step));
    const capacity = Math.max(...capacityAtStep.slice(since));
    if (valid.length > capacity) {
      throw new Error(
        `step ${step} (${action.kind}): ${valid.length} valid admissions, capacity ${capacity} since step ${since}`,
      );
    }
  }
}

describe("exact capacity at the protected path (property)", () => {
  it("never accepts more admissions than capacity, whatever the spellings and lifecycles", async () => {
    const lab = await openLab();
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 5, maxLength: 40 }), (actions) => runLifecycle(lab, actions)),
      // Seeded: a failure names its seed and path, and reruns the same.
      { seed: 20261201, numRuns: 40 },
    );
  }, 60_000);

  it("can fail: a check that trusts the signature and the eviction list lets a departed visitor in", async () => {
    // main's check before this property existed (signature, expiry, revoked evictions).
    const signatureOnly: CheckFactory =
      ({ admissionTokens, engine }) =>
      async (roomId, token) => {
        const visitorId = token ? await admissionTokens.verifiedVisitor(token, roomId) : null;
        return visitorId !== null && !engine().isAdmissionRevoked(roomId, visitorId);
      };
    const canonical: Spelling = { segment: -1, variant: 0, mutation: null };
    const departure: Action[] = [
      { kind: "enter" },
      { kind: "enter" },
      { kind: "leave", who: 0, spelling: canonical },
      { kind: "advance", ms: 2_500 },
      { kind: "heartbeat", who: 1, spelling: canonical },
    ];
    const lab = await openLab();
    await expect(runLifecycle(lab, departure, signatureOnly)).rejects.toThrow(/2 valid admissions, capacity 1/);
    await runLifecycle(lab, departure);
  });
});
