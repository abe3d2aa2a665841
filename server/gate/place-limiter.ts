import "server-only";
import type { IncomingMessage } from "node:http";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "@/server/api/errors";
import { forwardedClientHeader } from "@/server/cluster/http-proxy";
import type { GateSuspicion } from "@/server/queue/bot-defence";
import type { EnterResult, VisitorEngine } from "@/server/queue/engine";

// Scripts grabbing many places from one address are slowed; the limit is generous because
// carrier-grade NAT puts many real visitors behind one address. Returning visitors (a valid
// token) never reach this: only new places are counted.

/** `pow`: the solved challenge the client presented (pow rooms), if any. */
export type LimitedJoin = (req: IncomingMessage, roomId: string, pow?: string) => Promise<EnterResult>;

/** The header a machine client sends its API key in, to skip the line where the room allows it. */
export const apiKeyHeader = "x-floodgate-api-key";
const apiKeyShape = /^[\x21-\x7e]{1,200}$/;

export function createLimitedJoin(
  engine: VisitorEngine,
  {
    perMinutePerAddress,
    trustProxy,
    apiKeyFor,
  }: {
    perMinutePerAddress: number;
    trustProxy: boolean;
    apiKeyFor?: (key: string, roomId: string) => Promise<boolean>;
  },
): LimitedJoin {
  const limiter = perMinutePerAddress > 0 ? new RateLimiterMemory({ points: perMinutePerAddress, duration: 60 }) : null;

  /** The client's address as far as it can be told: the proxy's word only when trusted. */
  function peerAddress(req: IncomingMessage): string | null {
    // Set by a cluster node passing a request on (server/main.ts drops it from anyone else).
    const fromNode = req.headers[forwardedClientHeader];
    if (typeof fromNode === "string" && fromNode) return fromNode;
    const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
    const last = typeof forwarded === "string" ? forwarded.split(",").pop()?.trim() : undefined;
    return last || req.socket.remoteAddress || null;
  }

  /** The visitor's address, or null when it cannot tell visitors apart (a local proxy not trusted). */
  function clientAddress(req: IncomingMessage): string | null {
    const address = peerAddress(req);
    return address && /^(127\.|::1$|::ffff:127\.)/.test(address) ? null : address;
  }

  /** A well-formed API key the room accepts; a bad one is simply not a key (no error, no bypass). */
  async function holdsKey(req: IncomingMessage, roomId: string): Promise<boolean> {
    const key = req.headers[apiKeyHeader];
    if (!apiKeyFor || typeof key !== "string" || !apiKeyShape.test(key)) return false;
    return apiKeyFor(key, roomId).catch(() => false);
  }

  return async (req, roomId, pow) => {
    const address = limiter ? clientAddress(req) : null;
    let suspect: GateSuspicion | undefined;
    if (limiter && address) {
      try {
        await limiter.consume(address);
      } catch (rejection) {
        const waitS = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
        // The engine decides what it costs: rate_limited, or the room's infinite line.
        suspect = { reason: "rate_limited", retryAfterSeconds: waitS };
      }
    }
    // After the limit: a key is looked up in the database, so sprayed keys are paced too.
    const keyHolder = suspect ? false : await holdsKey(req, roomId);
    try {
      return await engine.join(roomId, { address: peerAddress(req), keyHolder, pow, suspect });
    } catch (error) {
      // Asked for a challenge first: no place was taken, so it does not count as one (a
      // browser's first enter in a pow room is always this, and its second takes the place).
      if (limiter && address && !suspect && error instanceof AppError && error.code === "challenge_required") {
        await limiter.reward(address, 1).catch(() => undefined);
      }
      throw error;
    }
  };
}
