import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import * as audit from "./audit/route";
import * as room from "./rooms/[room]/route";
import * as rooms from "./rooms/route";

// Branding and the default language through the admin API: refusals name the field and say
// what is wanted, a change is live on the room's public summary, and it is audited.

let fx: AdminFixture;
beforeAll(async () => {
  fx = await createAdminFixture();
});
afterAll(() => fx.close());

const r = { room: "default" };
const branding = {
  displayName: { en: "Acme spring drop", ko: "애크미 봄 드롭" },
  message: { ko: "1인 1켤레" },
  logoUrl: "https://cdn.example.com/acme.png",
  accentColor: "#0F766E",
};

describe("room branding through the admin API", () => {
  it.each([
    [
      "a language Floodgate does not speak",
      { defaultLanguage: "tlh" },
      /defaultLanguage: a language code, one of en, ko/,
    ],
    ["a default language that is not text", { defaultLanguage: 3 }, /defaultLanguage/],
    ["branding that is not an object", { branding: "acme" }, /branding/],
    [
      "an empty display name",
      { branding: { displayName: { en: "" } } },
      /branding.displayName.en: a display name has 1 to 80/,
    ],
    ["a long display name", { branding: { displayName: { en: "x".repeat(81) } } }, /at most 80 characters/],
    ["a display name in no language", { branding: { displayName: { xx: "A" } } }, /"xx" is not a language code/],
    [
      "a long message",
      { branding: { message: { en: "x".repeat(281) } } },
      /branding.message.en: a message has at most 280/,
    ],
    ["a javascript: logo", { branding: { logoUrl: "javascript:alert(1)" } }, /branding.logoUrl: .*https URL/],
    ["a data: logo", { branding: { logoUrl: "data:image/png;base64,AA" } }, /no data:/],
    [
      "an http logo off localhost",
      { branding: { logoUrl: "http://cdn.example.com/a.png" } },
      /http only for localhost/,
    ],
    [
      "a colour that is not #rrggbb",
      { branding: { accentColor: "teal" } },
      /branding.accentColor: the accent colour is "#rrggbb"/,
    ],
    ["an unknown branding field", { branding: { font: "Comic Sans" } }, /font|Unrecognized/i],
  ])("refuses %s with a message naming the field", async (_name, body, message) => {
    const { status, json } = await fx.call(room, "PATCH", { role: "operator", params: r, body });
    expect(status).toBe(422);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).toMatch(message);
  });

  it("refuses a bad branding when a room is created, too", async () => {
    const { status, json } = await fx.call(rooms, "POST", {
      role: "operator",
      body: {
        id: "brand-bad",
        name: "Drop",
        capacity: 1,
        heartbeatIntervalMs: 5_000,
        heartbeatTimeoutMs: 20_000,
        maxQueueLength: 100,
        mode: "fifo",
        protectedPaths: ["/brand-bad"],
        branding: { accentColor: "#12345" },
      },
    });
    expect(status).toBe(422);
    expect(json.error.message).toMatch(/branding.accentColor/);
  });

  it("keeps viewers out", async () => {
    const { status } = await fx.call(room, "PATCH", { role: "viewer", params: r, body: { branding } });
    expect(status).toBe(403);
  });

  it("sets the branding and default language, shows them on the room and its public summary, and audits them", async () => {
    const set = await fx.call(room, "PATCH", {
      role: "operator",
      params: r,
      body: { branding, defaultLanguage: "ko", reason: "spring drop" },
    });
    expect(set.status).toBe(200);
    const stored = { ...branding, accentColor: "#0f766e" };
    expect(set.json.room).toMatchObject({ defaultLanguage: "ko", branding: stored });
    const got = await fx.call(room, "GET", { role: "viewer", params: r });
    expect(got.json.room).toMatchObject({ defaultLanguage: "ko", branding: stored });
    expect(fx.floodgate.engine.roomSummary("default")).toMatchObject({ defaultLanguage: "ko", branding: stored });

    const { json } = await fx.call(audit, "GET", { role: "viewer", query: "?action=room.update" });
    expect(json.items[0]).toMatchObject({
      reason: "spring drop",
      before: { defaultLanguage: null, branding: { displayName: {}, message: {}, logoUrl: null, accentColor: null } },
      after: { defaultLanguage: "ko", branding: stored },
    });
  });

  it("replaces the branding as a whole and clears the default language with null", async () => {
    const set = await fx.call(room, "PATCH", {
      role: "operator",
      params: r,
      body: { branding: { accentColor: "#112233" }, defaultLanguage: null },
    });
    expect(set.status).toBe(200);
    expect(set.json.room.branding).toEqual({ displayName: {}, message: {}, logoUrl: null, accentColor: "#112233" });
    expect(set.json.room.defaultLanguage).toBeNull();
  });
});
