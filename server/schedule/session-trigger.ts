import "server-only";
import { z } from "zod";
import { type AuditStore, machineActor } from "@/server/admin/audit-store";
import { AppError } from "@/server/api/errors";
import { roomIdSchema } from "@/server/gate/schemas";
import type { TokenInfo } from "@/server/queue/types";
import { type ApiKeyAuth, parseMachineBody } from "@/server/schedule/api-key-auth";
import type { AdmissionTokens } from "@/server/tokens/admission-token";

// POST /api/triggers/end-session: the protected site says a visitor is done (checkout
// complete), and their slot goes to the next in line at once instead of when their page goes
// quiet. The site names the visitor by the admission token it was shown (the fga_<room>
// cookie); a token that has since expired still names them, for a day, so a site that kept
// the one it read at the start of checkout can still end the session.

/** How long after its expiry an admission token still names its visitor here. */
export const endSessionTokenGraceMs = 24 * 3_600_000;

export const endSessionBody = z
  .object({
    room: roomIdSchema,
    admissionToken: z.string().min(1, "admissionToken is required").max(2048),
  })
  .strict();

export type SessionEnder = {
  roomConfig(roomId: string): unknown;
  endSession(roomId: string, visitorId: string, by: "site" | "page"): Promise<TokenInfo | null>;
};

export class SessionTrigger {
  constructor(
    private readonly deps: {
      keyAuth: ApiKeyAuth;
      engine: SessionEnder;
      admissionTokens: AdmissionTokens;
      audit: AuditStore;
    },
  ) {}

  /**
   * The whole trigger: the key (401, 403 out of scope), the body (422), the room (404), the
   * token (401 unless Floodgate signed it for this room), then the end. Idempotent: a visitor
   * already gone is not an error, and only the call that ended the session is audited.
   */
  async endSession(presentedKey: string | null, body: unknown): Promise<void> {
    const { keyAuth, engine, admissionTokens, audit } = this.deps;
    const key = await keyAuth.authenticate(presentedKey);
    const request = parseMachineBody(endSessionBody, body);
    await keyAuth.allow(key, request.room);
    engine.roomConfig(request.room);
    const admission = await admissionTokens.verifiedAdmission(
      request.admissionToken,
      request.room,
      endSessionTokenGraceMs,
    );
    if (!admission) {
      throw new AppError(
        "invalid_token",
        `The admission token is not one Floodgate issued for room "${request.room}".`,
      );
    }
    const ended = await engine.endSession(request.room, admission.visitorId, "site");
    if (!ended) return;
    await audit.recordBy(machineActor(`api-key:${key.name}`), {
      action: "session.end",
      roomId: request.room,
      target: ended.id,
      before: { reference: ended.reference, state: ended.state },
      after: { state: "ended" },
    });
  }
}
