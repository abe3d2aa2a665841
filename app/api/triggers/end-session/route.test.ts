import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import * as apiKeys from "../../admin/api-keys/route";
import * as audit from "../../admin/audit/route";
import * as endSession from "./route";

// The shop's server ends a session when checkout is done: the slot is free at once, the call is
// idempotent and audited as the key; a token Floodgate did not sign for the room, or a key
// without the room, ends nothing.

let fx: AdminFixture;
let secret = "";
beforeAll(async () => {
  fx = await createAdminFixture({ FLOODGATE_DEFAULT_ROOM_CAPACITY: "5" });
  const created = await fx.call(apiKeys, "POST", { role: "admin", body: { name: "shop", rooms: ["default"] } });
  expect(created.status).toBe(201);
  secret = created.json.secret;
});
afterAll(() => fx.close());

function call(body: unknown, headers: Record<string, string> = {}) {
  return endSession.POST(
    new Request("http://localhost/api/triggers/end-session", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

/** A visitor let straight in (the room has free slots): their id and admission token. */
async function admittedVisitor() {
  const { engine } = fx.floodgate;
  const entered = await engine.enter("default", undefined);
  expect(entered.status.state).toBe("admitted");
  const admissionToken = entered.admissionToken as string;
  const id = engine
    .listTokens("default", { state: "admitted", offset: 0, limit: 100 })
    .items.find((t) => t.reference === entered.status.reference)?.id as string;
  return { id, admissionToken, reference: entered.status.reference as string };
}

describe("POST /api/triggers/end-session", () => {
  it("frees the visitor's slot at once, counts a leave, and audits the key once however often it is called", async () => {
    const { engine } = fx.floodgate;
    const visitor = await admittedVisitor();
    const before = engine.roomStats("default");
    expect(engine.holdsSlot("default", visitor.id)).toBe(true);

    const ended = await call({ room: "default", admissionToken: visitor.admissionToken });
    expect(ended.status).toBe(204);
    expect(await ended.text()).toBe("");
    expect(engine.holdsSlot("default", visitor.id)).toBe(false);
    expect(engine.isAdmissionRevoked("default", visitor.id)).toBe(true);
    const after = engine.roomStats("default");
    expect(after.active).toBe(before.active - 1);
    expect(after.leftTotal).toBe(before.leftTotal + 1);
    expect(after.sessionsEndedTotal).toBe(before.sessionsEndedTotal + 1);

    const again = await call({ room: "default", admissionToken: visitor.admissionToken });
    expect(again.status).toBe(204);
    expect(engine.roomStats("default").leftTotal).toBe(after.leftTotal);
    const { json } = await fx.call(audit, "GET", { role: "viewer", query: "?action=session.end" });
    const entries = json.items.filter((e: { target: string }) => e.target === visitor.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: "api-key:shop", roomId: "default" });
    expect(entries[0].before).toMatchObject({ reference: visitor.reference, state: "admitted" });
  });

  it("still names the visitor with a token that expired since the site read it", async () => {
    const visitor = await admittedVisitor();
    const realNow = Date.now();
    const later = vi.spyOn(Date, "now").mockReturnValue(realNow + 10 * 60_000);
    try {
      expect((await call({ room: "default", admissionToken: visitor.admissionToken })).status).toBe(204);
    } finally {
      later.mockRestore();
    }
    expect(fx.floodgate.engine.holdsSlot("default", visitor.id)).toBe(false);
  });

  it.each([
    ["no key", { authorization: "" }, {}, 401, "unauthorized"],
    ["an unknown key", { authorization: "Bearer fgk_not-a-real-key" }, {}, 401, "unauthorized"],
    ["a room outside the key", {}, { room: "elsewhere" }, 403, "forbidden"],
    ["no admission token", {}, { admissionToken: undefined }, 422, "validation_failed"],
    ["a field it does not know", {}, { visitor: "x" }, 422, "validation_failed"],
    ["a room id that cannot be one", {}, { room: "Not A Room" }, 422, "validation_failed"],
    ["a token Floodgate did not sign", {}, { admissionToken: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln" }, 401, "invalid_token"],
  ])("refuses %s, ending nothing", async (_name, headers, change, status, code) => {
    const visitor = await admittedVisitor();
    const body = { room: "default", admissionToken: visitor.admissionToken, ...change };
    const response = await call(body, headers);
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(fx.floodgate.engine.holdsSlot("default", visitor.id)).toBe(true);
    await call({ room: "default", admissionToken: visitor.admissionToken });
  });

  it("refuses another room's admission token", async () => {
    const { engine, admissionTokens } = fx.floodgate;
    const visitor = await admittedVisitor();
    const elsewhere = admissionTokens.issue({
      room: "other",
      visitorId: visitor.id,
      admissionNo: 1,
      lifetimeMs: 60_000,
    });
    const response = await call({ room: "default", admissionToken: elsewhere });
    expect(response.status).toBe(401);
    expect(engine.holdsSlot("default", visitor.id)).toBe(true);
    await call({ room: "default", admissionToken: visitor.admissionToken });
  });

  it("allows a shop's checkout pace: 100 calls in a minute are not rate limited", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 100; i++) {
      statuses.add((await call({ room: "default", admissionToken: "x" }, { authorization: "Bearer fgk_pace" })).status);
    }
    expect([...statuses]).toEqual([401]);
  });
});
