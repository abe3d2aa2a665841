// mulberry32: a small seeded uniform [0, 1) generator, so that a test, a fuzz run or a bench
// scenario draws the same values every run. No "server-only" marker: the bench, the e2e
// fuzzer and the DynamoDB test front share it.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
