import { encode } from "next-auth/jwt";
import pino from "pino";
import type { Role } from "@/server/admin/admin-types";
import { hashPassword } from "@/server/auth/password";
import { UserStore } from "@/server/auth/user-store";
import { parseEnv } from "@/server/env";
import { assembleFloodgate } from "@/server/floodgate";
import { publishRuntime } from "@/server/runtime";
import { ManualClock } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";

// The whole Floodgate (engine, store, sampler, people, admin service) on a fresh database,
// published as the runtime the admin routes use, with one signed-in session per role.

export type RouteModule = Record<
  string,
  (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>
>;

export async function createAdminFixture(env: Record<string, string> = {}) {
  const databaseUrl = tempDatabaseUrl();
  const dataDir = testDataDir(databaseUrl);
  const config = parseEnv({ FLOODGATE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ...env });
  const clock = new ManualClock(Date.now());
  const floodgate = await assembleFloodgate(config, pino({ level: "silent" }), clock.now);
  publishRuntime(floodgate.runtime);
  const users = new UserStore(floodgate.db);
  const passwordHash = await hashPassword("fixture password 123");

  const sessions = {} as Record<Role, { id: string; email: string; cookie: string }>;
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await users.create({ email: `${role}@example.com`, name: role, role, passwordHash });
    if (!user) throw new Error("fixture user not created");
    const token = await encode({ token: { uid: user.id }, secret: floodgate.runtime.auth.secret });
    sessions[role] = { id: user.id, email: user.email, cookie: `next-auth.session-token=${token}` };
  }

  /**
   * Gives `role` back the fixture password and a session that is valid again (a password
   * change signs a person's sessions out, as it must).
   */
  async function resetSession(role: Role): Promise<void> {
    const session = sessions[role];
    await users.update(session.id, { passwordHash });
    const stored = await users.findById(session.id);
    const token = await encode({
      token: { uid: session.id, epoch: stored?.sessionEpoch ?? 0 },
      secret: floodgate.runtime.auth.secret,
    });
    session.cookie = `next-auth.session-token=${token}`;
  }

  /** Calls a route handler as the browser would, signed in as `role` (or signed out). */
  async function call(
    module: RouteModule,
    method: string,
    options: {
      role?: Role;
      params?: Record<string, string>;
      query?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
    // biome-ignore lint/suspicious/noExplicitAny: a test reads the JSON it asserts on
  ): Promise<{ status: number; json: any }> {
    const handler = module[method];
    if (!handler) throw new Error(`route has no ${method}`);
    const headers: Record<string, string> = { host: "localhost", ...options.headers };
    if (options.role) headers.cookie = sessions[options.role].cookie;
    if (options.body !== undefined) headers["content-type"] ??= "application/json";
    const request = new Request(`http://localhost/api/admin${options.query ?? ""}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  return {
    floodgate,
    clock,
    sessions,
    users,
    /** The password every fixture user signs in with. */
    password: "fixture password 123",
    resetSession,
    call,
    async close() {
      await floodgate.sampler.stop();
      await floodgate.store.close();
    },
  };
}

export type AdminFixture = Awaited<ReturnType<typeof createAdminFixture>>;
