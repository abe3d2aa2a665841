import { describe, expect, it } from "vitest";
import type { Role } from "@/server/admin/admin-types";
import type { AdminFixture, RouteModule } from "@/server/testing/admin-fixture";

// The role matrix of admin routes: each route called signed out and as every role; those below
// its least role are refused (401 / 403), the others get past the checks (any answer under 500
// that is not 401 / 403: a 404 for a made-up id still proves the role was accepted).

export type RoleCase = {
  name: string;
  module: RouteModule;
  method: string;
  /** The least role allowed. */
  role: Role;
  params?: Record<string, string>;
  query?: string;
  /** Called per request, so a creation can take a fresh name each time. */
  body?: () => unknown;
};

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function describeRoleMatrix(title: string, fixture: () => AdminFixture, cases: RoleCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      for (const caller of [undefined, "viewer", "operator", "admin"] as const) {
        const expected = caller === undefined ? 401 : rank[caller] < rank[c.role] ? 403 : "allowed";
        it(`${c.name} as ${caller ?? "signed out"} → ${expected}`, async () => {
          const { status, json } = await fixture().call(c.module, c.method, {
            role: caller,
            params: c.params,
            query: c.query,
            body: c.body?.(),
          });
          if (expected === "allowed") {
            expect(status, JSON.stringify(json)).toBeLessThan(500);
            expect([401, 403]).not.toContain(status);
          } else {
            expect(status).toBe(expected);
            expect(json.error.code).toBe(expected === 401 ? "unauthorized" : "forbidden");
          }
        });
      }
    }
  });
}
