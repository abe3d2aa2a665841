import { describe, expect, it } from "vitest";
import type { Role } from "@/server/admin/admin-types";
import type { AdminFixture, RouteModule } from "@/server/testing/admin-fixture";

// The role matrix of admin routes: each route called signed out and as every role. Those below
// its least role are refused (401 / 403); the others must succeed (2xx), so every allowed call
// is a real one: a valid body, and a resource that exists (made fresh per call by `params` when
// the call changes or removes it). A 404 for a made-up id would show only that the role check
// let the request past, not that the role can do the thing.

type Params = Record<string, string>;

export type RoleCase = {
  name: string;
  module: RouteModule;
  method: string;
  /** The least role allowed. */
  role: Role;
  /**
   * Fixed, or made per request (a resource the call changes or removes, e.g. a fresh room);
   * told the caller, so state a refused call would leave behind need not be made.
   */
  params?: Params | ((fx: AdminFixture, caller: Role | undefined) => Promise<Params>);
  query?: string;
  /** Called per request, so a creation can take a fresh name each time. */
  body?: () => unknown;
  /** After an allowed call: undo what it did to the caller (e.g. a password change ends their session). */
  afterAllowed?: (fx: AdminFixture, caller: Role) => Promise<void>;
};

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function describeRoleMatrix(title: string, fixture: () => AdminFixture, cases: RoleCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      for (const caller of [undefined, "viewer", "operator", "admin"] as const) {
        const expected = caller === undefined ? 401 : rank[caller] < rank[c.role] ? 403 : "2xx";
        it(`${c.name} as ${caller ?? "signed out"} → ${expected}`, async () => {
          const fx = fixture();
          const params = typeof c.params === "function" ? await c.params(fx, caller) : c.params;
          const { status, json } = await fx.call(c.module, c.method, {
            role: caller,
            params,
            query: c.query,
            body: c.body?.(),
          });
          if (expected === "2xx") {
            expect(status, JSON.stringify(json)).toBeGreaterThanOrEqual(200);
            expect(status, JSON.stringify(json)).toBeLessThan(300);
            if (caller) await c.afterAllowed?.(fx, caller);
          } else {
            expect(status).toBe(expected);
            expect(json.error.code).toBe(expected === 401 ? "unauthorized" : "forbidden");
          }
        });
      }
    }
  });
}
