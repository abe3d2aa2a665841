import { describe, expect, it } from "vitest";
import { Line } from "@/server/queue/line";

describe("Line", () => {
  it("keeps FIFO order and positions through removals from the middle", () => {
    const line = new Line<string>();
    for (let seq = 1; seq <= 10; seq++) line.insert(seq, `v${seq}`);
    expect(line.position(1)).toBe(1);
    expect(line.position(10)).toBe(10);
    line.remove(3);
    line.remove(7);
    expect(line.length).toBe(8);
    expect(line.position(10)).toBe(8);
    expect(line.position(3)).toBe(0);
    expect(line.shift()?.item).toBe("v1");
    expect(line.shift()?.item).toBe("v2");
    expect(line.shift()?.item).toBe("v4");
    expect(line.position(10)).toBe(5);
  });

  it("matches a naive model across growth and compaction", () => {
    const line = new Line<number>();
    const model: number[] = [];
    let next = 1;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 60_000; step++) {
      const r = rand();
      if (r < 0.5) {
        line.insert(next, next);
        model.push(next);
        next++;
      } else if (r < 0.75 && model.length) {
        expect(line.shift()?.seq).toBe(model.shift());
      } else if (model.length) {
        const victim = model.splice(Math.floor(rand() * model.length), 1)[0] as number;
        expect(line.remove(victim)).toBe(victim);
      }
      if (step % 997 === 0 && model.length) {
        const probe = model[Math.floor(rand() * model.length)] as number;
        expect(line.position(probe)).toBe(model.indexOf(probe) + 1);
      }
    }
    expect(line.length).toBe(model.length);
    expect([...line].map((e) => e.seq)).toEqual(model);
  });

  it("accepts places restored out of order below the current window", () => {
    const line = new Line<string>();
    line.insert(5000, "late");
    line.insert(12, "early");
    expect(line.position(12)).toBe(1);
    expect(line.position(5000)).toBe(2);
    expect(() => line.insert(12, "twice")).toThrow();
  });

  it("finds the one at a position, matching a naive model through random removals", () => {
    const line = new Line<number>();
    const model: number[] = [];
    let next = 1;
    let seed = 99;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    expect(line.at(1)).toBeUndefined();
    for (let step = 0; step < 40_000; step++) {
      if (rand() < 0.55 || !model.length) {
        line.insert(next, next);
        model.push(next++);
      } else {
        // A lottery draw: the one at a random position leaves from the middle.
        const position = 1 + Math.floor(rand() * model.length);
        const drawn = line.at(position);
        expect(drawn?.seq).toBe(model[position - 1]);
        line.remove(drawn?.seq ?? -1);
        model.splice(position - 1, 1);
      }
    }
    expect(line.length).toBe(model.length);
    expect(line.at(0)).toBeUndefined();
    expect(line.at(model.length + 1)).toBeUndefined();
    expect(line.at(model.length)?.seq).toBe(model[model.length - 1]);
    expect([...line].map((e) => e.seq)).toEqual(model);
  });

  it("slides its window forward when nobody is ever shifted off the head", () => {
    const line = new Line<number>();
    // Random admission, expiry and eviction all leave by remove(), never by shift(). A steady
    // line of 100 over a million places: the window must follow the oldest one still waiting.
    let oldest = 1;
    for (let seq = 1; seq <= 1_000_000; seq++) {
      line.insert(seq, seq);
      if (seq - oldest >= 100) line.remove(oldest++);
    }
    expect(line.length).toBe(100);
    expect(line.at(1)?.seq).toBe(oldest);
    const slots = (line as unknown as { items: unknown[] }).items.length;
    expect(slots).toBeLessThanOrEqual(4096);
  });
});
