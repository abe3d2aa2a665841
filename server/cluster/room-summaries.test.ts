import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { roomSummariesSchema } from "./engine-calls";

// A follower answers GET /api/queue/:room and renders the waiting page from the leader's room
// summaries: the branding rides along, and one this node cannot read is no branding, not a
// list of rooms refused (a rolling upgrade may add a language the leader knows first).

const summary = {
  room: "drop",
  name: "Spring drop",
  mode: "fifo",
  waiting: 3,
  full: false,
  etaSeconds: null,
  heartbeatIntervalMs: 5_000,
  defaultLanguage: "ko",
  branding: { ...emptyBranding, displayName: { ko: "애크미" }, accentColor: "#0f766e" },
  challenge: "pow",
};

describe("the leader's room summaries, as a follower reads them", () => {
  it("keep the room's branding and default language", () => {
    expect(roomSummariesSchema.parse({ rooms: [summary] }).rooms[0]).toEqual(summary);
  });

  it("read a branding or language this node does not know as none, and keep the room", () => {
    const newer = { ...summary, defaultLanguage: "tlh", branding: { ...summary.branding, displayName: { tlh: "x" } } };
    const [room] = roomSummariesSchema.parse({ rooms: [newer] }).rooms;
    expect(room).toMatchObject({ room: "drop", waiting: 3, defaultLanguage: null, branding: emptyBranding });
  });

  it("read a challenge mode this node does not know as none (the leader still asks for it on enter)", () => {
    const [room] = roomSummariesSchema.parse({ rooms: [{ ...summary, challenge: "captcha" }] }).rooms;
    expect(room).toMatchObject({ room: "drop", challenge: "off" });
  });
});
