// Solves a `pow` room's challenge in the browser, off the main thread: altcha-lib's
// solveChallengeWorkers over up to four web workers (pow-worker.ts), each trying every n-th
// counter. Resolves to the payload the gate expects in `{ "pow": … }` (ALTCHA's base64 JSON of
// the challenge and the solution), or null when it cannot (no workers, too slow, aborted).
import { solveChallengeWorkers } from "altcha-lib";

/** Longer than any sane difficulty on a slow phone; past it, the page offers to try again. */
const SOLVE_TIMEOUT_MS = 60_000;
const MAX_WORKERS = 4;

type Challenge = Parameters<typeof solveChallengeWorkers>[0]["challenge"];

export async function solveChallenge(challenge: unknown, signal: AbortSignal): Promise<string | null> {
  if (typeof Worker === "undefined" || !isChallenge(challenge)) return null;
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener("abort", abort, { once: true });
  try {
    const solution = await solveChallengeWorkers({
      challenge,
      controller,
      concurrency: Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1)),
      createWorker: () => new Worker(new URL("./pow-worker.ts", import.meta.url), { type: "module" }),
      timeout: SOLVE_TIMEOUT_MS,
    });
    if (!solution || signal.aborted) return null;
    return encodePayload(challenge, solution);
  } catch {
    return null;
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

/** ALTCHA's payload: base64 of the JSON `{ challenge, solution }` (UTF-8; the parts are ASCII). */
export function encodePayload(challenge: Challenge, solution: { counter: number; derivedKey: string }): string {
  return btoa(JSON.stringify({ challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } }));
}

function isChallenge(value: unknown): value is Challenge {
  if (typeof value !== "object" || value === null) return false;
  const { parameters, signature } = value as { parameters?: unknown; signature?: unknown };
  return typeof parameters === "object" && parameters !== null && typeof signature === "string";
}
