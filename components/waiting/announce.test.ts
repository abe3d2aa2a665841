import { describe, expect, it } from "vitest";
import { type Announced, type AnnouncementKind, announcementFor, POSITION_GAP_MS } from "./announce";
import type { DisplayState } from "./queue-view";

describe("announcementFor", () => {
  const last: Announced = { state: "waiting", position: 40, atMs: 0 };
  const cases: Array<[string, Announced | null, DisplayState, number | null, number, AnnouncementKind]> = [
    ["first render stays quiet", null, "waiting", 40, 0, null],
    ["same place stays quiet", last, "waiting", 40, POSITION_GAP_MS * 2, null],
    ["a new place soon after stays quiet", last, "waiting", 35, 5_000, null],
    ["a new place after the gap is announced", last, "waiting", 35, POSITION_GAP_MS, "position"],
    ["near the front every step is announced", last, "waiting", 3, 1_000, "position"],
    ["a state change is announced at once", last, "paused", 40, 1, "state"],
    ["becoming next is announced at once", last, "next", 1, 1, "state"],
    ["admission is announced", { state: "next", position: 1, atMs: 0 }, "admitted", null, 1, "state"],
    ["expiry is announced", last, "expired", null, 1, "state"],
    ["joining then waiting is announced", { state: "joining", position: null, atMs: 0 }, "waiting", 12, 1, "state"],
  ];
  it.each(cases)("%s", (_name, previous, state, position, nowMs, expected) => {
    expect(announcementFor(previous, { state, position }, nowMs)).toBe(expected);
  });
});
