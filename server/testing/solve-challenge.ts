import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { isAppError } from "@/server/api/errors";
import type { Challenge } from "@/server/queue/challenge";

// For tests: the challenge a refused enter carries, and a solution as a client sends it
// (altcha-lib's solver, as an API client in Node would use).

export function challengeOf(error: unknown): Challenge {
  if (!isAppError(error) || !error.details?.challenge) throw new Error(`no challenge in ${String(error)}`);
  return error.details.challenge as Challenge;
}

/** The ALTCHA payload (base64 JSON) that answers `challenge`. */
export async function solvedPayload(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("challenge not solved");
  const answer = { counter: solution.counter, derivedKey: solution.derivedKey };
  return Buffer.from(JSON.stringify({ challenge, solution: answer })).toString("base64");
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
