import "server-only";
import { randomBytes } from "node:crypto";
import type { AdminUser, Role } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";

// The console's people, in the SQL database. The only module that queries the User table.
// Writes run in transactions of their own: a plain write on the shared client could land inside
// the queue store's open transaction and be rolled back with it.

export type StoredUser = AdminUser & { passwordHash: string; sessionEpoch: number };

type UserRow = {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: string;
  disabled: boolean;
  sessionEpoch: number;
  createdAt: Date;
  lastSignInAt: Date | null;
};

export const roles = ["viewer", "operator", "admin"] as const satisfies readonly Role[];

function toUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: (roles as readonly string[]).includes(row.role) ? (row.role as Role) : "viewer",
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    passwordHash: row.passwordHash,
    sessionEpoch: row.sessionEpoch,
  };
}

export class UserStore {
  constructor(private readonly db: PrismaClient) {}

  async findByEmail(email: string): Promise<StoredUser | null> {
    const row = await this.db.user.findUnique({ where: { email: normalizeEmail(email) } });
    return row ? toUser(row) : null;
  }

  async findById(id: string): Promise<StoredUser | null> {
    const row = await this.db.user.findUnique({ where: { id } });
    return row ? toUser(row) : null;
  }

  async list(): Promise<StoredUser[]> {
    const rows = await this.db.user.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map(toUser);
  }

  /** Returns null when the email is taken. */
  async create(input: { email: string; name: string; role: Role; passwordHash: string }): Promise<StoredUser | null> {
    try {
      const row = await this.db.$transaction((tx) =>
        tx.user.create({
          data: { id: randomBytes(12).toString("base64url"), ...input, email: normalizeEmail(input.email) },
        }),
      );
      return toUser(row);
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") return null;
      throw error;
    }
  }

  async update(
    id: string,
    patch: { name?: string; role?: Role; disabled?: boolean; passwordHash?: string },
  ): Promise<StoredUser | null> {
    try {
      // A new password ends every session issued before it (they carry the old epoch).
      const data = patch.passwordHash === undefined ? patch : { ...patch, sessionEpoch: { increment: 1 } };
      return toUser(await this.db.$transaction((tx) => tx.user.update({ where: { id }, data })));
    } catch (error) {
      if ((error as { code?: string }).code === "P2025") return null;
      throw error;
    }
  }

  async countActiveAdmins(): Promise<number> {
    return this.db.user.count({ where: { role: "admin", disabled: false } });
  }

  async count(): Promise<number> {
    return this.db.user.count();
  }

  async noteSignIn(id: string, at: Date): Promise<void> {
    await this.db.$transaction((tx) => tx.user.update({ where: { id }, data: { lastSignInAt: at } }));
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
