import { describe, expect, it } from "vitest";
import { LoginThrottle } from "@/server/auth/login-throttle";

describe("LoginThrottle", () => {
  it("blocks an account after its failures, from any address", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 3, failuresPerAddress: 100 });
    for (let i = 0; i < 3; i++) {
      expect(await throttle.blockedForSeconds("a@example.com", `198.51.100.${i}`)).toBe(0);
      await throttle.noteFailure("a@example.com", `198.51.100.${i}`);
    }
    const blocked = await throttle.blockedForSeconds("a@example.com", "203.0.113.1");
    expect(blocked).toBeGreaterThan(800);
    expect(blocked).toBeLessThanOrEqual(900);
    expect(await throttle.blockedForSeconds("b@example.com", "203.0.113.1")).toBe(0);
  });

  it("blocks an address that tries many accounts", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 100, failuresPerAddress: 4 });
    for (let i = 0; i < 4; i++) await throttle.noteFailure(`user${i}@example.com`, "198.51.100.7");
    expect(await throttle.blockedForSeconds("new@example.com", "198.51.100.7")).toBeGreaterThan(0);
    expect(await throttle.blockedForSeconds("new@example.com", "198.51.100.8")).toBe(0);
  });

  it("a success clears the account's failures", async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 2, failuresPerAddress: 100 });
    await throttle.noteFailure("a@example.com", "198.51.100.1");
    await throttle.noteSuccess("a@example.com");
    await throttle.noteFailure("a@example.com", "198.51.100.1");
    expect(await throttle.blockedForSeconds("a@example.com", "198.51.100.1")).toBe(0);
  });
});
