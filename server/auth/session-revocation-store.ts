import "server-only";
import type { PrismaClient } from "@/server/db/client";

// Sessions ended by signing out, in the SQL config database so that every node of a cluster
// refuses a copied cookie. The only module that queries the SessionRevocation table. A row is
// kept until no cookie of its session can still be valid, and each sign-out prunes the rows
// past that: the table holds at most the sign-outs of one session lifetime.

export class SessionRevocationStore {
  constructor(private readonly db: PrismaClient) {}

  /** Ends the session for good; `expiresAt` is when the last cookie it could have issued expires. */
  async revoke(sessionId: string, userId: string, expiresAt: Date, now: Date): Promise<void> {
    // A transaction of its own: a plain write on the shared client could land inside the queue
    // store's open transaction and be rolled back with it.
    await this.db.$transaction(async (tx) => {
      await tx.sessionRevocation.upsert({
        where: { sessionId },
        create: { sessionId, userId, expiresAt },
        update: {},
      });
      await tx.sessionRevocation.deleteMany({ where: { expiresAt: { lt: now } } });
    });
  }

  /** One primary-key lookup: run on every admin request and page. */
  async isRevoked(sessionId: string): Promise<boolean> {
    const row = await this.db.sessionRevocation.findUnique({ where: { sessionId }, select: { sessionId: true } });
    return row !== null;
  }

  async count(): Promise<number> {
    return this.db.sessionRevocation.count();
  }
}
