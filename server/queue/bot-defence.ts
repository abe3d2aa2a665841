import "server-only";
import { randomBytes } from "node:crypto";
import { type Challenges, createChallenges } from "@/server/queue/challenge";
import { createQueueTokens, type QueueTokens } from "@/server/tokens/queue-token";

// What the engine needs to screen arrivals (engine-screen.ts): the proof-of-work challenges and
// the key that signs places in the infinite line. Production derives both from the queue
// secret (server/tokens/secrets.ts botDefenceFor), so every node and restart agrees.

/** `passTokens` sign passes beyond capacity (extra-pass.ts), a key of their own too. */
export type BotDefenceKeys = { challenges: Challenges; shadowTokens: QueueTokens; passTokens: QueueTokens };

/** Keys for this process only (tests, tools): challenges and infinite-line places do not survive it. */
export function ephemeralBotDefence(): BotDefenceKeys {
  const key = () => randomBytes(32).toString("base64url");
  return {
    challenges: createChallenges({ signature: key(), keySignature: key() }),
    shadowTokens: createQueueTokens(key()),
    passTokens: createQueueTokens(key()),
  };
}

/**
 * Why the gate distrusts an arrival before the engine sees it: over the per-address limit on
 * new places. The engine decides what that costs (an error, or the infinite line).
 */
export type GateSuspicion = { reason: "rate_limited"; retryAfterSeconds: number };
