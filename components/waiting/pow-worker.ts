// A web worker that searches for a proof-of-work solution (ALTCHA v2, SHA-256 via WebCrypto),
// for pow-solver.ts. It speaks altcha-lib's worker protocol ({ type: "work" | "abort" }), so
// altcha-lib's solveChallengeWorkers can spread the search over several of them.
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/web/sha";

type WorkMessage = {
  type: "work" | "abort";
  challenge: Parameters<typeof solveChallenge>[0]["challenge"];
  counterStart: number;
  counterStep: number;
  timeout?: number;
};

let controller: AbortController | undefined;

self.onmessage = async (message: MessageEvent<WorkMessage>) => {
  const { type, challenge, counterStart, counterStep, timeout } = message.data;
  if (type === "abort") {
    controller?.abort();
    return;
  }
  controller = new AbortController();
  try {
    const solution = await solveChallenge({ challenge, controller, counterStart, counterStep, deriveKey, timeout });
    self.postMessage(solution);
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
