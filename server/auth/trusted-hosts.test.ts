import { describe, expect, it } from "vitest";
import { isTrustedHost, trustedHosts, untrustedHostProblem } from "@/server/auth/trusted-hosts";

const onPort3000 = trustedHosts({ port: 3000, hostname: "0.0.0.0", machineName: "Box-1", allowedHosts: [] });

describe("trusted hosts", () => {
  it.each([
    ["localhost:3000", true],
    ["LOCALHOST:3000", true],
    ["127.0.0.1:3000", true],
    ["[::1]:3000", true],
    ["box-1:3000", true],
    ["localhost", false],
    ["localhost:3001", false],
    ["evil.example", false],
    ["evil.example:3000", false],
    ["localhost:3000.evil.example", false],
    ["localhost:3000@evil.example", false],
    ["localhost:3000/evil.example", false],
    ["localhost:3000, evil.example", false],
    ["0.0.0.0:3000", false],
    ["", false],
  ])("Host %j is trusted on port 3000: %s", (host, trusted) => {
    expect(isTrustedHost(host, onPort3000)).toBe(trusted);
  });

  it("trusts the address the server was told to listen on, the default port bare, and the configured list", () => {
    const hosts = trustedHosts({
      port: 80,
      hostname: "10.0.0.5",
      machineName: "box",
      allowedHosts: ["queue.example.com", "edge.example.com:8443"],
    });
    for (const host of ["10.0.0.5", "10.0.0.5:80", "localhost", "queue.example.com", "edge.example.com:8443"]) {
      expect(isTrustedHost(host, hosts), host).toBe(true);
    }
    for (const host of ["queue.example.com:80", "edge.example.com", "10.0.0.6"]) {
      expect(isTrustedHost(host, hosts), host).toBe(false);
    }
  });

  it("trusts any port of the listening names when the server was given port 0", () => {
    const hosts = trustedHosts({ port: 0, hostname: "::1", machineName: "", allowedHosts: [] });
    expect(isTrustedHost("127.0.0.1:45123", hosts)).toBe(true);
    expect(isTrustedHost("[::1]:45123", hosts)).toBe(true);
    expect(isTrustedHost("evil.example:45123", hosts)).toBe(false);
  });

  it("checks X-Forwarded-Host too: next-auth prefers it to Host", () => {
    expect(untrustedHostProblem(new Headers({ host: "localhost:3000" }), onPort3000)).toBeNull();
    expect(untrustedHostProblem(new Headers({ host: "evil.example" }), onPort3000)).toMatch(/Host header/);
    expect(
      untrustedHostProblem(new Headers({ host: "localhost:3000", "x-forwarded-host": "evil.example" }), onPort3000),
    ).toMatch(/X-Forwarded-Host/);
    expect(untrustedHostProblem(new Headers({}), onPort3000)).toMatch(/Host header/);
  });
});
