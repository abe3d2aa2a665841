import "server-only";
import type { AdmissionTokens } from "@/server/tokens/admission-token";

// The check the protected path runs (proxy.ts, through runtime.verifyAdmission): a token opens
// the path only when it is well signed, unexpired, for this room, AND its visitor holds a slot
// now (the engine's answer, synchronous and O(1)). A signature alone would let a visitor who
// left, expired or was evicted back in for the rest of the token's life (one heartbeat
// timeout) while their slot already went to the next visitor. So the admissions accepted at
// any moment are at most the slots held, which are at most capacity (server/queue/README.md).
// A fail-open pass (admission number 0, no slot by design) is accepted only while the gate
// fails open.

export type AdmissionCheck = (roomId: string, admissionToken: string | undefined) => Promise<boolean>;

export function createAdmissionCheck(deps: {
  admissionTokens: Pick<AdmissionTokens, "verifiedAdmission">;
  /** The engine that runs the rooms: `QueueEngine.holdsSlot`. */
  holdsSlot: (roomId: string, visitorId: string) => boolean;
  /** True while the gate lets visitors through without a place (`FailurePolicy.failingOpen`). */
  failingOpen: () => boolean;
}): AdmissionCheck {
  return async (roomId, admissionToken) => {
    if (!admissionToken) return false;
    const admission = await deps.admissionTokens.verifiedAdmission(admissionToken, roomId);
    if (!admission) return false;
    if (deps.holdsSlot(roomId, admission.visitorId)) return true;
    return admission.admissionNo === 0 && deps.failingOpen();
  };
}
