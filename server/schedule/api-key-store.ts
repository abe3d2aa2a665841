import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyRecord } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";
import type { ApiKey as ApiKeyRow } from "@/server/db/generated/client";

// API keys for machine callers and the answers kept for their Idempotency-Keys: the only module
// that queries ApiKey and IdempotentRequest. A key is 32 random bytes shown once as
// `fgk_<base64url>`; only its SHA-256 is stored. A slow hash is not needed: the key is random,
// not chosen by a person, so there is nothing to guess from the hash. Looking a key up by its
// hash (a unique index) also means no comparison of secrets that could leak by timing.

export const apiKeyPrefix = "fgk_";
/** How many characters of a key the console shows to tell keys apart ("fgk_3Fq9"). */
const shownPrefixLength = apiKeyPrefix.length + 4;

export type StoredApiKey = {
  id: string;
  name: string;
  prefix: string;
  rooms: string[];
  createdBy: string;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
};

/** An Idempotency-Key's stored answer; `status` 0 while the first request is still being handled. */
export type IdempotentAnswer = { requestHash: string; status: number; response: unknown };

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function toKey(row: ApiKeyRow): StoredApiKey {
  let rooms: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.rooms);
    if (Array.isArray(parsed)) rooms = parsed.filter((room): room is string => typeof room === "string");
  } catch {
    rooms = [];
  }
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    rooms,
    createdBy: row.createdBy,
    createdAtMs: row.createdAt.getTime(),
    lastUsedAtMs: row.lastUsedAt?.getTime() ?? null,
    revokedAtMs: row.revokedAt?.getTime() ?? null,
  };
}

export function toApiKeyRecord(key: StoredApiKey): ApiKeyRecord {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    rooms: key.rooms,
    createdBy: key.createdBy,
    createdAt: new Date(key.createdAtMs).toISOString(),
    lastUsedAt: iso(key.lastUsedAtMs),
    revokedAt: iso(key.revokedAtMs),
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

export class ApiKeyStore {
  constructor(private readonly db: PrismaClient) {}

  /** A new key: the secret is returned here and never again. */
  async create(input: { name: string; rooms: string[]; createdBy: string }): Promise<{
    key: StoredApiKey;
    secret: string;
  }> {
    const secret = `${apiKeyPrefix}${randomBytes(32).toString("base64url")}`;
    const row = await this.db.$transaction((tx) =>
      tx.apiKey.create({
        data: {
          id: `key_${randomBytes(9).toString("base64url")}`,
          name: input.name,
          prefix: secret.slice(0, shownPrefixLength),
          hash: hashApiKey(secret),
          rooms: JSON.stringify(input.rooms),
          createdBy: input.createdBy,
        },
      }),
    );
    return { key: toKey(row), secret };
  }

  async list(): Promise<StoredApiKey[]> {
    return (await this.db.apiKey.findMany({ orderBy: { createdAt: "desc" } })).map(toKey);
  }

  async find(id: string): Promise<StoredApiKey | null> {
    const row = await this.db.apiKey.findUnique({ where: { id } });
    return row ? toKey(row) : null;
  }

  /** The key a caller presented, by the hash of what they sent (revoked keys included). */
  async findBySecret(secret: string): Promise<StoredApiKey | null> {
    const row = await this.db.apiKey.findUnique({ where: { hash: hashApiKey(secret) } });
    return row ? toKey(row) : null;
  }

  /** Revokes a key; null when it was already revoked (or does not exist). */
  async revoke(id: string, nowMs: number): Promise<StoredApiKey | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: new Date(nowMs) },
      });
      if (count !== 1) return null;
      const row = await tx.apiKey.findUnique({ where: { id } });
      return row ? toKey(row) : null;
    });
  }

  /** Notes a use; skipped when the last one noted is less than `everyMs` old (one write a minute, not one a call). */
  async touch(id: string, nowMs: number, everyMs: number): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.apiKey.updateMany({
        where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(nowMs - everyMs) } }] },
        data: { lastUsedAt: new Date(nowMs) },
      }),
    );
  }

  /**
   * Claims an Idempotency-Key for a request about to be handled. Returns null when the claim is
   * ours (go ahead, then `completeRequest` or `releaseRequest`), else the answer already kept
   * for it (status 0: the first request is still being handled). Answers older than `maxAgeMs`
   * no longer count.
   */
  async claimRequest(
    apiKeyId: string,
    key: string,
    requestHash: string,
    nowMs: number,
    maxAgeMs: number,
  ): Promise<IdempotentAnswer | null> {
    return this.db.$transaction(async (tx) => {
      const where = { apiKeyId_key: { apiKeyId, key } };
      const existing = await tx.idempotentRequest.findUnique({ where });
      if (existing && existing.createdAt.getTime() > nowMs - maxAgeMs) {
        return {
          requestHash: existing.requestHash,
          status: existing.status,
          response: existing.status ? JSON.parse(existing.response) : null,
        };
      }
      if (existing) await tx.idempotentRequest.delete({ where });
      try {
        await tx.idempotentRequest.create({
          data: { apiKeyId, key, requestHash, status: 0, response: "", createdAt: new Date(nowMs) },
        });
      } catch (error) {
        // Only possible from another process between our read and write: treat as in progress.
        if (isUniqueViolation(error)) return { requestHash, status: 0, response: null };
        throw error;
      }
      return null;
    });
  }

  /** Keeps the answer given to a claimed Idempotency-Key. */
  async completeRequest(apiKeyId: string, key: string, status: number, response: unknown): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.idempotentRequest.update({
        where: { apiKeyId_key: { apiKeyId, key } },
        data: { status, response: JSON.stringify(response) },
      }),
    );
  }

  /** Gives a claim back (the request failed before acting): a retry may try again. */
  async releaseRequest(apiKeyId: string, key: string): Promise<void> {
    await this.db.$transaction((tx) => tx.idempotentRequest.deleteMany({ where: { apiKeyId, key, status: 0 } }));
  }

  /** Forgets answers older than `beforeMs`; returns how many. */
  async pruneRequests(beforeMs: number): Promise<number> {
    const { count } = await this.db.$transaction((tx) =>
      tx.idempotentRequest.deleteMany({ where: { createdAt: { lt: new Date(beforeMs) } } }),
    );
    return count;
  }
}
