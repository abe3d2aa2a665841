import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WakeTimer } from "@/server/alerts/wake-timer";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function timer() {
  const runs: number[] = [];
  const wake = new WakeTimer(
    () => runs.push(Date.now()),
    () => Date.now(),
  );
  return { wake, runs, start: Date.now() };
}

describe("WakeTimer", () => {
  it("keeps a sooner wake-up when a later one is asked for (a pass's idle sleep after a 'run now')", () => {
    const { wake, runs, start } = timer();
    wake.wakeIn(0);
    wake.wakeIn(30_000);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([start]);
    vi.advanceTimersByTime(60_000);
    expect(runs).toHaveLength(1);
  });

  it("moves a wake-up sooner, and runs it once", () => {
    const { wake, runs, start } = timer();
    wake.wakeIn(30_000);
    vi.advanceTimersByTime(10_000);
    wake.wakeIn(5_000);
    vi.advanceTimersByTime(60_000);
    expect(runs).toEqual([start + 15_000]);
  });

  it("sets a new wake-up after one has run, and none after cancel", () => {
    const { wake, runs, start } = timer();
    wake.wakeIn(100);
    vi.advanceTimersByTime(100);
    wake.wakeIn(30_000);
    vi.advanceTimersByTime(30_000);
    expect(runs).toEqual([start + 100, start + 30_100]);
    wake.wakeIn(10);
    wake.cancel();
    vi.advanceTimersByTime(1_000);
    expect(runs).toHaveLength(2);
  });
});
