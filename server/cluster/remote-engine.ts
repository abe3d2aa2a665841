import "server-only";
import http from "node:http";
import { AppError } from "@/server/api/errors";
import {
  type CallResult,
  type EngineCall,
  engineCallsResponseSchema,
  maxCallsPerRequest,
  roomSummariesSchema,
} from "@/server/cluster/engine-calls";
import type { Logger } from "@/server/log";
import type { EnterResult, HeartbeatResult, JoinVia, VisitorEngine } from "@/server/queue/engine";
import type { QueueStatus, RoomSummary } from "@/server/queue/types";

// A follower's engine: the same calls as the local one, forwarded to the leader. Calls made
// within `batchWindowMs` of each other travel in one request, so a follower serving thousands
// of heartbeats a second costs the leader a few hundred small requests, not thousands.

export const clusterAuthHeader = "x-floodgate-node-auth";
export const callsPath = "/__floodgate/cluster/calls";
export const roomsPath = "/__floodgate/cluster/rooms";

export type RemoteEngineOptions = {
  /** The leader's base URL now, or null while none is known. */
  leaderUrl: () => string | null;
  secret: string;
  logger: Logger;
  /** Told when the leader did not answer: the node looks for a leader again. */
  onLeaderUnreachable?: (leaderUrl: string, error: unknown) => void;
  batchWindowMs?: number;
  requestTimeoutMs?: number;
};

type Pending = { call: EngineCall; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Seconds a visitor is told to wait before trying again while no leader answers. */
const retryAfterSeconds = 2;

export class RemoteEngine implements VisitorEngine {
  private queue: Pending[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private summaries = new Map<string, RoomSummary>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly batchWindowMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: RemoteEngineOptions) {
    this.batchWindowMs = options.batchWindowMs ?? 2;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  resume(roomId: string, token: string | undefined, pageId?: string): Promise<EnterResult | null> {
    return this.call<EnterResult | null>({ op: "resume", room: roomId, token, page: pageId });
  }

  join(roomId: string, via?: JoinVia): Promise<EnterResult> {
    return this.call<EnterResult>({
      op: "join",
      room: roomId,
      address: via?.address,
      keyHolder: via?.keyHolder,
      pow: via?.pow,
      suspect: via?.suspect,
    });
  }

  /**
   * Never held: a follower answers at once, and says so (`hold: false`), so a page that asked to
   * hold falls back to its plain heartbeat instead of asking again at once.
   */
  async heartbeat(roomId: string, token: string, pageId?: string): Promise<HeartbeatResult> {
    const result = await this.call<HeartbeatResult>({ op: "heartbeat", room: roomId, token, page: pageId });
    return { ...result, status: { ...result.status, hold: false } };
  }

  /** Always the full path: the answer is on the leader. */
  heartbeatInLine(): QueueStatus | null {
    return null;
  }

  async leave(roomId: string, token: string, pageId?: string): Promise<void> {
    await this.call({ op: "leave", room: roomId, token, page: pageId });
  }

  async endSessionByToken(roomId: string, token: string): Promise<void> {
    await this.call({ op: "end", room: roomId, token });
  }

  requireStatus(roomId: string, token: string): Promise<QueueStatus> {
    return this.call<QueueStatus>({ op: "status", room: roomId, token });
  }

  /** From the leader's last list (refreshSummaries); null for a room it did not list. */
  roomSummary(roomId: string): RoomSummary | null {
    return this.summaries.get(roomId) ?? null;
  }

  /** Fetches every room's public summary from the leader (the node calls this every second). */
  async refreshSummaries(): Promise<void> {
    const leader = this.options.leaderUrl();
    if (!leader) return;
    let body: unknown;
    try {
      body = await this.request(leader, "GET", roomsPath, undefined);
    } catch (error) {
      this.options.onLeaderUnreachable?.(leader, error);
      throw error;
    }
    const { rooms } = roomSummariesSchema.parse(body);
    this.summaries = new Map(rooms.map((room) => [room.room, room]));
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.failAll(this.queue.splice(0), new AppError("unavailable", "This server is shutting down.", retryAfterSeconds));
    this.agent.destroy();
  }

  private call<T>(call: EngineCall): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ call, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= maxCallsPerRequest) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), this.batchWindowMs);
    });
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    while (this.queue.length) void this.send(this.queue.splice(0, maxCallsPerRequest));
  }

  private async send(batch: Pending[]): Promise<void> {
    const leader = this.options.leaderUrl();
    if (!leader) {
      this.failAll(batch, noLeader());
      return;
    }
    let results: CallResult[];
    try {
      const body = await this.request(leader, "POST", callsPath, { calls: batch.map((p) => p.call) });
      results = engineCallsResponseSchema.parse(body).results;
      if (results.length !== batch.length)
        throw new Error(`leader answered ${results.length} of ${batch.length} calls`);
    } catch (error) {
      if (error instanceof AppError) {
        this.failAll(batch, error);
        return;
      }
      this.options.logger.warn({ err: error, leader, calls: batch.length }, "leader did not answer forwarded calls");
      this.options.onLeaderUnreachable?.(leader, error);
      this.failAll(batch, noLeader());
      return;
    }
    batch.forEach((pending, i) => {
      const result = results[i] as CallResult;
      if (result.ok) pending.resolve(result.value);
      else {
        const { code, message, retryAfterSeconds, challenge, reason } = result.error;
        const details =
          challenge || reason ? { ...(challenge && { challenge }), ...(reason && { reason }) } : undefined;
        pending.reject(new AppError(code, message, retryAfterSeconds, details));
      }
    });
  }

  private failAll(batch: Pending[], error: unknown): void {
    for (const pending of batch) pending.reject(error);
  }

  /** One JSON request to the leader; a "not the leader" answer becomes AppError unavailable. */
  private request(leader: string, method: "GET" | "POST", path: string, payload: unknown): Promise<unknown> {
    const url = new URL(path, leader);
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: this.requestTimeoutMs,
          headers: {
            [clusterAuthHeader]: this.options.secret,
            ...(body !== undefined && {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode === 200) {
              try {
                resolve(JSON.parse(text));
              } catch (error) {
                reject(error);
              }
              return;
            }
            // 503 from a node that is no longer (or not yet) the leader: look again, soon.
            reject(new Error(`leader answered ${res.statusCode}: ${text.slice(0, 200)}`));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`leader did not answer within ${this.requestTimeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }
}

function noLeader(): AppError {
  return new AppError(
    "unavailable",
    "The waiting room is switching servers. Your place is kept; trying again in a moment.",
    retryAfterSeconds,
  );
}
