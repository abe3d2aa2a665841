import "server-only";
import type { IncomingMessage } from "node:http";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "@/server/api/errors";
import { forwardedClientHeader } from "@/server/cluster/http-proxy";
import type { EnterResult, VisitorEngine } from "@/server/queue/engine";

// Scripts grabbing many places from one address are slowed; the limit is generous because
// carrier-grade NAT puts many real visitors behind one address. Returning visitors (a valid
// token) never reach this: only new places are counted.

export type LimitedJoin = (req: IncomingMessage, roomId: string) => Promise<EnterResult>;

export function createLimitedJoin(
  engine: VisitorEngine,
  { perMinutePerAddress, trustProxy }: { perMinutePerAddress: number; trustProxy: boolean },
): LimitedJoin {
  const limiter = perMinutePerAddress > 0 ? new RateLimiterMemory({ points: perMinutePerAddress, duration: 60 }) : null;

  /** The visitor's address, or null when it cannot tell visitors apart (a local proxy not trusted). */
  function clientAddress(req: IncomingMessage): string | null {
    // Set by a cluster node passing a request on (server/main.ts drops it from anyone else).
    const fromNode = req.headers[forwardedClientHeader];
    if (typeof fromNode === "string" && fromNode) return fromNode;
    const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
    const last = typeof forwarded === "string" ? forwarded.split(",").pop()?.trim() : undefined;
    if (last) return last;
    const peer = req.socket.remoteAddress ?? "";
    return /^(127\.|::1$|::ffff:127\.)/.test(peer) ? null : peer;
  }

  return async (req, roomId) => {
    const address = limiter ? clientAddress(req) : null;
    if (limiter && address) {
      try {
        await limiter.consume(address);
      } catch (rejection) {
        const waitS = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
        throw new AppError("rate_limited", "Too many new places from this address. Try again shortly.", waitS);
      }
    }
    return engine.join(roomId);
  };
}
