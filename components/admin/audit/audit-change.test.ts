import { describe, expect, it } from "vitest";
import { actorName } from "./audit-actor";
import { describeChange, formatAuditValue, summariseBranding } from "./audit-change";

// A fixed clock for the tests: the console passes the browser's (formatWhen).
const clock = (epochMs: number) => `at ${new Date(epochMs).toISOString().slice(5, 16).replace("T", " ")}`;

describe("describeChange", () => {
  it("lists only the fields that changed, under their labels", () => {
    expect(describeChange({ capacity: 0, name: "Shop" }, { capacity: 1, name: "Shop" })).toEqual([
      { key: "capacity", label: "Capacity", before: "0", after: "1" },
    ]);
  });

  it("reads “admissionNo none” as “Admission number: none”", () => {
    const lines = describeChange(
      { reference: "K7Q-2MX", state: "waiting", position: 2 },
      { state: "admitted", admissionNo: null, position: null },
    );
    expect(lines).toEqual([
      { key: "state", label: "State", before: "waiting", after: "admitted" },
      { key: "admissionNo", label: "Admission number", before: null, after: "none" },
      { key: "position", label: "Position", before: "2", after: "not in line" },
      { key: "reference", label: "Reference", before: "K7Q-2MX", after: null },
    ]);
  });

  it("shows a created record as values with no before, booleans as words", () => {
    expect(describeChange(null, { role: "operator", disabled: false })).toEqual([
      { key: "role", label: "Role", before: null, after: "operator" },
      { key: "disabled", label: "Account", before: null, after: "active" },
    ]);
  });

  it("shows an event's times on the reader's clock, never as ISO strings", () => {
    const lines = describeChange(
      { startsAt: "2025-03-13T01:00:00.000Z", preQueue: false },
      { startsAt: "2025-03-13T02:30:00.000Z", preQueue: true },
      clock,
    );
    expect(lines).toEqual([
      { key: "startsAt", label: "Starts", before: "at 03-13 01:00", after: "at 03-13 02:30" },
      { key: "preQueue", label: "Pre-queue", before: "off", after: "on" },
    ]);
  });

  it("shows plain values as one line", () => {
    expect(describeChange(50, 200)).toEqual([{ key: null, label: null, before: "50", after: "200" }]);
    expect(describeChange(["/a"], ["/a", "/b"])).toEqual([{ key: null, label: null, before: "/a", after: "/a, /b" }]);
  });

  it("has nothing to say when both sides are empty", () => {
    expect(describeChange(null, undefined)).toEqual([]);
  });
});

describe("formatAuditValue", () => {
  it.each([
    ["heartbeatTimeoutMs", 20_000, "20 s"],
    ["sessionDurationSeconds", 900, "15 min 00 s"],
    ["sessionDurationSeconds", null, "no limit"],
    ["leadMinutes", 90, "1 h 30 min"],
    ["newUsersPerMinute", 120, "120 per minute"],
    ["newUsersPerMinute", null, "no limit of its own"],
    ["bypassCidrs", [], "none"],
    ["bypassCidrs", ["10.0.0.0/8", "192.168.0.0/16"], "10.0.0.0/8, 192.168.0.0/16"],
    ["infiniteLine", true, "on"],
    ["mode", "fifo", "first come, first served"],
    ["challenge", "pow", "proof of work"],
    ["defaultLanguage", "ko", "한국어"],
    ["defaultLanguage", null, "English (Floodgate's default)"],
    ["password", "(changed)", "changed"],
    ["status", "scheduled", "upcoming"],
    ["revokedAt", null, "no"],
    ["someNewSetting", "x", "x"],
  ])("%s %j reads %j", (key, value, text) => {
    expect(formatAuditValue(key, value)).toBe(text);
  });

  it("formats a threshold's value by its metric", () => {
    expect(formatAuditValue("value", 90, { metric: "activePercent" })).toBe("90%");
    expect(formatAuditValue("value", 120, { metric: "medianWaitSeconds" })).toBe("2 min 00 s");
    expect(formatAuditValue("value", 100, { metric: "waiting" })).toBe("100");
  });

  it("turns an ISO instant under any key into a clock time", () => {
    expect(formatAuditValue("anything", "2025-03-13T01:00:00.000Z", {}, clock)).toBe("at 03-13 01:00");
  });
});

describe("summariseBranding", () => {
  it("summarises a room's branding instead of printing its JSON", () => {
    const branding = {
      displayName: { en: "Shop", ko: "상점" },
      message: { en: "Hello" },
      logoUrl: "https://example.com/logo.png",
      accentColor: "#0055ff",
    };
    expect(summariseBranding(branding)).toBe("name in English, 한국어 · message in English · logo · accent #0055ff");
    expect(summariseBranding({ displayName: {}, message: {}, logoUrl: null, accentColor: null })).toBe(
      "none (Floodgate's own look)",
    );
    expect(formatAuditValue("branding", branding)).not.toContain("{");
  });
});

describe("actorName", () => {
  it.each([
    ["scheduler", "system", "System (scheduler)"],
    ["api-key:push server", "system", "System (API key “push server”)"],
    ["ops@example.com", "person", "ops@example.com"],
  ] as const)("%s (%s) reads %j", (actorEmail, actorKind, name) => {
    expect(actorName({ actorEmail, actorKind })).toBe(name);
  });
});
