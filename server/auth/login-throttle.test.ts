import { afterEach, describe, expect, it, vi } from "vitest";
import { LoginThrottle } from "@/server/auth/login-throttle";

afterEach(() => {
  vi.useRealTimers();
});

async function claims(throttle: LoginThrottle, attempts: [account: string, address: string][]) {
  return Promise.all(attempts.map(([account, address]) => throttle.claimAttempt(account, address)));
}

describe("LoginThrottle", () => {
  it("grants an account no more attempts than its limit, from any address, all at once", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 3, failuresPerAddress: 100 });
    const results = await claims(
      throttle,
      Array.from({ length: 20 }, (_, i) => ["a@example.com", `198.51.100.${i}`]),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.retryAfterSeconds).toBeGreaterThan(800);
    expect(refused && !refused.ok && refused.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect((await throttle.claimAttempt("b@example.com", "203.0.113.1")).ok).toBe(true);
  });

  it("grants an address no more attempts than its limit, over many accounts", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 100, failuresPerAddress: 4 });
    const results = await claims(
      throttle,
      Array.from({ length: 12 }, (_, i) => [`user${i}@example.com`, "198.51.100.7"]),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect((await throttle.claimAttempt("new@example.com", "198.51.100.7")).ok).toBe(false);
    expect((await throttle.claimAttempt("new@example.com", "198.51.100.8")).ok).toBe(true);
  });

  it("a refused attempt costs the other counter nothing", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 1, failuresPerAddress: 3 });
    expect((await throttle.claimAttempt("locked@example.com", "198.51.100.1")).ok).toBe(true);
    for (let i = 0; i < 5; i++)
      expect((await throttle.claimAttempt("locked@example.com", "198.51.100.1")).ok).toBe(false);
    // The address spent one point (the first attempt); the refusals after it took none.
    expect((await throttle.claimAttempt("other1@example.com", "198.51.100.1")).ok).toBe(true);
    expect((await throttle.claimAttempt("other2@example.com", "198.51.100.1")).ok).toBe(true);
    expect((await throttle.claimAttempt("other3@example.com", "198.51.100.1")).ok).toBe(false);
  });

  it("a refunded attempt (right password) gives both points back", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 2, failuresPerAddress: 2 });
    for (let i = 0; i < 10; i++) {
      const claim = await throttle.claimAttempt("a@example.com", "198.51.100.1");
      if (!claim.ok) throw new Error(`attempt ${i} refused`);
      await claim.refund();
    }
    expect((await claim2(throttle)).filter((r) => r.ok)).toHaveLength(2);
  });

  it("a refund after the window moved on does not become an extra attempt in the next one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const throttle = new LoginThrottle({ failuresPerAccount: 2, failuresPerAddress: 100 });
    const slow = await throttle.claimAttempt("a@example.com", "198.51.100.1");
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1_000);
    if (slow.ok) await slow.refund();
    expect((await claim2(throttle, 5)).filter((r) => r.ok)).toHaveLength(2);
  });
});

function claim2(throttle: LoginThrottle, count = 6) {
  return claims(
    throttle,
    Array.from({ length: count }, () => ["a@example.com", "198.51.100.1"]),
  );
}
