import "server-only";
import type { z } from "zod";
import { AppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";
import type { ApiKeyStore, StoredApiKey } from "@/server/schedule/api-key-store";

// Who may call a machine route (the surge and end-session triggers): a key that exists, is not
// revoked and names the room. Its last use is noted at most once a minute, so a busy key costs
// one database write a minute, not one a call.

const keyUseNotedEveryMs = 60_000;

export class ApiKeyAuth {
  constructor(
    private readonly apiKeys: ApiKeyStore,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** The live key behind `presentedKey`; 401 otherwise (checked before the body is read). */
  async authenticate(presentedKey: string | null): Promise<StoredApiKey> {
    if (!presentedKey) throw new AppError("unauthorized", "Send an API key: Authorization: Bearer fgk_…");
    const key = await this.apiKeys.findBySecret(presentedKey);
    if (!key) throw new AppError("unauthorized", "Unknown API key.");
    if (key.revokedAtMs !== null) throw new AppError("unauthorized", "This API key was revoked.");
    return key;
  }

  /** Whether `presentedKey` is a live key for `room` (a bypass of its line); never throws. */
  async holdsRoom(presentedKey: string, room: string): Promise<boolean> {
    try {
      const key = await this.authenticate(presentedKey);
      await this.allow(key, room);
      return true;
    } catch {
      return false;
    }
  }

  /** 403 unless the key names `room`; then its use is noted. */
  async allow(key: StoredApiKey, room: string): Promise<void> {
    if (!key.rooms.includes(room)) throw new AppError("forbidden", `This API key may not act on room "${room}".`);
    await this.noteUse(key);
  }

  /** lastUsedAt; failing to note it fails nothing. */
  private async noteUse(key: StoredApiKey): Promise<void> {
    const nowMs = this.now();
    if (key.lastUsedAtMs !== null && nowMs - key.lastUsedAtMs < keyUseNotedEveryMs) return;
    await this.apiKeys.touch(key.id, nowMs, keyUseNotedEveryMs).catch((error) => {
      this.logger.warn({ err: error, key: key.id }, "API key use not noted");
    });
  }
}

/** A machine route's JSON body checked against its schema; 422 naming each field otherwise. */
export function parseMachineBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
  throw new AppError("validation_failed", `Invalid body: ${message}`);
}
