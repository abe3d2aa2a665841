import "server-only";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Logger } from "@/server/log";
import { createDynamoClient, type DynamoConnection } from "@/server/store/dynamodb-table";

// Leases on the queue table: background work (expiry sweep, admission, sampling) runs on one
// node per room. Each lease is one item, changed only by conditional single-item writes, and
// carries a fencing token raised on every takeover. Design, clock assumption and costs:
// server/store/README.md, "Leases".

const leasePk = "LEASE";

/** The lease name for a room's background work. */
export const roomLeaseName = (roomId: string) => `ROOM#${roomId}`;

export type LeaseAcquisition =
  | { held: true; fencingToken: number; expiresAtMs: number }
  | { held: false; holder: string | null; expiresAtMs: number };

export type LeaseRenewal = { renewed: true; expiresAtMs: number } | { renewed: false };

/** What LeaseKeeper needs of a lease store (DynamoLease; tests may wrap it). */
export type LeaseStore = Pick<DynamoLease, "tryAcquire" | "renew" | "release">;

type LeaseItem = { holder?: string; fencingToken?: number; expiresAtMs?: number };

/** Attempts of one tryAcquire: a lost race reads the item again and decides anew. */
const acquireAttempts = 3;

export class DynamoLease {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(
    private readonly client: DynamoDBClient,
    options: { tableName: string },
    private readonly ownsClient = false,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
    this.table = options.tableName;
  }

  /** Leases on their own client (closed with them); the table must exist (ensureTable). */
  static open(options: { tableName: string } & DynamoConnection): DynamoLease {
    return new DynamoLease(createDynamoClient(options), options, true);
  }

  /**
   * Takes the lease if it is free or expired (`expiresAtMs < nowMs`), raising the fencing token,
   * or extends it if `holderId` holds it already (same token). Otherwise reports who holds it.
   * One consistent read, then one conditional write that re-checks what the read saw.
   */
  async tryAcquire(name: string, holderId: string, ttlMs: number, nowMs: number): Promise<LeaseAcquisition> {
    let current: LeaseItem | undefined;
    for (let attempt = 0; attempt < acquireAttempts; attempt++) {
      current = await this.read(name);
      const live = current !== undefined && (current.expiresAtMs ?? 0) >= nowMs;
      if (live && current?.holder !== holderId) break;
      try {
        if (live) {
          const renewal = await this.renew(name, holderId, current?.fencingToken ?? 0, ttlMs, nowMs);
          if (renewal.renewed) {
            return { held: true, fencingToken: current?.fencingToken ?? 0, expiresAtMs: renewal.expiresAtMs };
          }
          continue;
        }
        return await this.takeOver(name, holderId, ttlMs, nowMs);
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
      }
    }
    return { held: false, holder: current?.holder ?? null, expiresAtMs: current?.expiresAtMs ?? 0 };
  }

  /** Extends the lease only if `holderId` still holds it with `fencingToken` and it has not expired. */
  async renew(
    name: string,
    holderId: string,
    fencingToken: number,
    ttlMs: number,
    nowMs: number,
  ): Promise<LeaseRenewal> {
    const expiresAtMs = nowMs + ttlMs;
    const renewed = await this.updateIfHeld(name, holderId, fencingToken, {
      UpdateExpression: "SET expiresAtMs = :expires, renewedAtMs = :now",
      ConditionExpression: "holder = :me AND fencingToken = :token AND expiresAtMs >= :now",
      values: { ":now": nowMs, ":expires": expiresAtMs },
    });
    return renewed ? { renewed: true, expiresAtMs } : { renewed: false };
  }

  /**
   * Expires the lease now if `holderId` still holds it with `fencingToken`, so another node can
   * take it at once. The item stays (expiresAtMs 0): deleting it would restart the fencing token.
   */
  release(name: string, holderId: string, fencingToken: number): Promise<boolean> {
    return this.updateIfHeld(name, holderId, fencingToken, {
      UpdateExpression: "SET expiresAtMs = :zero",
      ConditionExpression: "holder = :me AND fencingToken = :token",
      values: { ":zero": 0 },
    });
  }

  close(): void {
    if (this.ownsClient) this.client.destroy();
  }

  private async read(name: string): Promise<LeaseItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: leasePk, sk: name }, ConsistentRead: true }),
    );
    return Item as LeaseItem | undefined;
  }

  /** One conditional update by the holder; false if the condition (naming :me and :token) failed. */
  private async updateIfHeld(
    name: string,
    holderId: string,
    fencingToken: number,
    update: { UpdateExpression: string; ConditionExpression: string; values: Record<string, number> },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: leasePk, sk: name },
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: update.ConditionExpression,
          ExpressionAttributeValues: { ":me": holderId, ":token": fencingToken, ...update.values },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** Free or expired (checked again by the condition): this holder, fencing token + 1. */
  private async takeOver(name: string, holderId: string, ttlMs: number, nowMs: number): Promise<LeaseAcquisition> {
    const expiresAtMs = nowMs + ttlMs;
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: leasePk, sk: name },
        UpdateExpression: "SET holder = :me, expiresAtMs = :expires, renewedAtMs = :now ADD fencingToken :one",
        ConditionExpression: "attribute_not_exists(pk) OR expiresAtMs < :now",
        ExpressionAttributeValues: { ":me": holderId, ":now": nowMs, ":expires": expiresAtMs, ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return { held: true, fencingToken: Number(Attributes?.fencingToken), expiresAtMs };
  }
}

function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

export type LeaseTimers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type LeaseKeeperOptions = {
  lease: LeaseStore;
  name: string;
  holderId: string;
  ttlMs: number;
  /**
   * How long before the lease's expiry (by the local clock) the keeper stops acting on it when
   * renewals fail. Must exceed the clock skew between nodes. Default ttl / 6.
   */
  safetyMarginMs?: number;
  /** Epoch ms; Date.now by default. */
  clock?: () => number;
  timers?: LeaseTimers;
  logger?: Logger;
  onAcquired?: (fencingToken: number) => void;
  onLost?: (reason: LeaseLossReason) => void;
};

/** "lost": another node holds it; "expiring": no renewal got through in time; "stopped": stop(). */
export type LeaseLossReason = "lost" | "expiring" | "stopped";

const nodeTimers: LeaseTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Keeps trying to hold one lease: acquires or renews every ttl / 3. It believes it holds the
 * lease only until `sentAtMs + ttl - safetyMargin` of its last successful write (by its own
 * clock, measured from when the request was sent, since DynamoDB may apply it at any moment
 * after), so it stops acting before any other node could take the lease over.
 */
export class LeaseKeeper {
  private readonly clock: () => number;
  private readonly timers: LeaseTimers;
  private readonly safetyMarginMs: number;
  private readonly intervalMs: number;
  private held: { fencingToken: number; actUntilMs: number } | null = null;
  private seen: { holder: string | null; expiresAtMs: number } | null = null;
  private nextStep: unknown = null;
  private stepDownTimer: unknown = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? nodeTimers;
    this.safetyMarginMs = options.safetyMarginMs ?? Math.floor(options.ttlMs / 6);
    this.intervalMs = Math.floor(options.ttlMs / 3);
    if (this.safetyMarginMs <= 0 || this.safetyMarginMs >= options.ttlMs - this.intervalMs) {
      throw new Error(`lease safety margin must be between 0 and 2/3 of the ttl (${options.ttlMs} ms)`);
    }
  }

  /** Starts trying at once; the first attempt has finished when the promise resolves. */
  start(): Promise<void> {
    if (!this.stopped) return this.running;
    this.stopped = false;
    this.step();
    return this.running;
  }

  /** Whether this node may act as the holder right now. */
  isHolder(): boolean {
    return this.held !== null && this.clock() < this.held.actUntilMs;
  }

  /** The token to fence writes with while holding, else null. */
  fencingToken(): number | null {
    return this.isHolder() ? (this.held?.fencingToken ?? null) : null;
  }

  /**
   * Who holds the lease, as of the last attempt: this keeper while it holds it, else what the
   * last read found (null holder: free). Null before the first attempt got an answer.
   */
  holder(): { holder: string | null; expiresAtMs: number } | null {
    if (this.isHolder()) return { holder: this.options.holderId, expiresAtMs: this.held?.actUntilMs ?? 0 };
    return this.seen;
  }

  /**
   * Steps down at once, as if a renewal had been refused (a write fenced with this lease was
   * refused: another node holds it). The next attempt may acquire it again.
   */
  relinquish(): void {
    this.seen = null;
    this.stepDown("lost");
  }

  /** Resolves when the attempt in flight (if any) has finished. */
  settled(): Promise<void> {
    return this.running;
  }

  /** Stops trying and, if holding, steps down and releases the lease for another node. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.nextStep);
    await this.running;
    const held = this.held;
    this.stepDown("stopped");
    if (!held) return;
    const { lease, name, holderId } = this.options;
    await lease.release(name, holderId, held.fencingToken).catch((error: unknown) => {
      this.options.logger?.warn({ err: error, lease: name }, "lease release failed; it expires on its own");
    });
  }

  private step(): void {
    this.running = this.attempt().finally(() => {
      if (!this.stopped) this.nextStep = this.timers.setTimeout(() => this.step(), this.intervalMs);
    });
  }

  private async attempt(): Promise<void> {
    const { lease, name, holderId, ttlMs, logger } = this.options;
    const sentAtMs = this.clock();
    // Past the point of acting (its timer not run yet): step down before anything else.
    if (this.held && sentAtMs >= this.held.actUntilMs) this.stepDown("expiring");
    const held = this.held;
    try {
      if (held) {
        const renewal = await lease.renew(name, holderId, held.fencingToken, ttlMs, sentAtMs);
        // Stepped down meanwhile: the next attempt acquires afresh (and says so).
        if (this.held !== held) return;
        if (!renewal.renewed) this.stepDown("lost");
        else this.holdUntil(held.fencingToken, sentAtMs);
      } else {
        const acquisition = await lease.tryAcquire(name, holderId, ttlMs, sentAtMs);
        // Taken even if stop() came meanwhile: stop() then releases it.
        if (!acquisition.held) {
          this.seen = { holder: acquisition.holder, expiresAtMs: acquisition.expiresAtMs };
          return;
        }
        this.holdUntil(acquisition.fencingToken, sentAtMs);
        if (this.held) {
          logger?.info({ lease: name, fencingToken: acquisition.fencingToken }, "lease acquired");
          this.options.onAcquired?.(acquisition.fencingToken);
        }
      }
    } catch (error) {
      // Keep acting until the step-down timer: the lease is still ours until it could expire.
      logger?.warn({ err: error, lease: name, holding: this.held !== null }, "lease write failed");
    }
  }

  private holdUntil(fencingToken: number, sentAtMs: number): void {
    const actUntilMs = sentAtMs + this.options.ttlMs - this.safetyMarginMs;
    const remainingMs = actUntilMs - this.clock();
    // A reply that came too late to act on: as good as none.
    if (remainingMs <= 0) {
      this.stepDown("expiring");
      return;
    }
    this.held = { fencingToken, actUntilMs };
    this.timers.clearTimeout(this.stepDownTimer);
    this.stepDownTimer = this.timers.setTimeout(() => this.stepDown("expiring"), remainingMs);
  }

  private stepDown(reason: LeaseLossReason): void {
    this.timers.clearTimeout(this.stepDownTimer);
    this.stepDownTimer = null;
    if (!this.held) return;
    this.held = null;
    this.options.logger?.warn({ lease: this.options.name, reason }, "lease given up");
    this.options.onLost?.(reason);
  }
}
