import { describe, expect, it } from "vitest";
import { DeadlineWheel, type WheelItem } from "@/server/queue/deadline-wheel";

type Item = WheelItem & { id: string };
const item = (id: string, deadlineMs: number): Item => ({ id, deadlineMs, bucket: 0, gone: false });

describe("DeadlineWheel", () => {
  it("returns items once their deadline passes, not before", () => {
    const wheel = new DeadlineWheel<Item>(100, 0);
    const a = item("a", 1_000);
    const b = item("b", 2_050);
    wheel.schedule(a);
    wheel.schedule(b);
    expect(wheel.takeDue(999)).toEqual([]);
    expect(wheel.takeDue(1_000).map((i) => i.id)).toEqual(["a"]);
    expect(wheel.takeDue(2_099)).toEqual([]);
    expect(wheel.takeDue(2_100).map((i) => i.id)).toEqual(["b"]);
    expect(wheel.takeDue(5_000)).toEqual([]);
  });

  it("re-files an item whose deadline moved later (a heartbeat)", () => {
    const wheel = new DeadlineWheel<Item>(100, 0);
    const a = item("a", 1_000);
    wheel.schedule(a);
    a.deadlineMs = 3_000;
    expect(wheel.takeDue(1_500)).toEqual([]);
    expect(wheel.takeDue(3_000).map((i) => i.id)).toEqual(["a"]);
  });

  it("files an item again only when its deadline moved before its bucket (a shorter timeout)", () => {
    const wheel = new DeadlineWheel<Item>(100, 0);
    const a = item("a", 20_000);
    const b = item("b", 20_000);
    wheel.schedule(a);
    wheel.schedule(b);
    const filed = b.bucket;
    b.deadlineMs = 25_000;
    wheel.refileIfEarlier(b);
    expect(b.bucket).toBe(filed);
    a.deadlineMs = 8_000;
    wheel.refileIfEarlier(a);
    expect(wheel.takeDue(7_999)).toEqual([]);
    expect(wheel.takeDue(8_000).map((i) => i.id)).toEqual(["a"]);
    expect(wheel.takeDue(20_000)).toEqual([]);
    expect(wheel.takeDue(25_000).map((i) => i.id)).toEqual(["b"]);
  });

  it("honours a deadline moved earlier (a leave) when re-scheduled", () => {
    const wheel = new DeadlineWheel<Item>(100, 0);
    const a = item("a", 20_000);
    wheel.schedule(a);
    a.deadlineMs = 2_500;
    wheel.schedule(a);
    expect(wheel.takeDue(2_500).map((i) => i.id)).toEqual(["a"]);
    expect(wheel.takeDue(25_000)).toEqual([]);
  });

  it("skips items marked gone and schedules past deadlines into the next sweep", () => {
    const wheel = new DeadlineWheel<Item>(100, 10_000);
    const gone = item("gone", 10_500);
    wheel.schedule(gone);
    gone.gone = true;
    const late = item("late", 5_000);
    wheel.schedule(late);
    expect(wheel.takeDue(10_600).map((i) => i.id)).toEqual(["late"]);
  });

  it("returns an item filed twice in the same bucket only once", () => {
    const wheel = new DeadlineWheel<Item>(100, 0);
    const a = item("a", 1_000);
    wheel.schedule(a);
    wheel.schedule(a);
    expect(wheel.takeDue(1_000).map((i) => i.id)).toEqual(["a"]);
  });
});
