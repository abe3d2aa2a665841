import "server-only";
import { hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { z } from "zod";
import type { BotDefenceKeys } from "@/server/queue/bot-defence";
import { createChallenges } from "@/server/queue/challenge";
import { createPlaceReferences, type PlaceReferences } from "@/server/queue/place-reference";
import { createQueueTokens } from "@/server/tokens/queue-token";

// Signing material: taken from env when given, else generated on first start and kept in
// <dataDir>/secrets.json (mode 0600) so restarts keep every issued token valid.

const privateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1).optional(),
});

const fileSchema = z.object({
  queueSecret: z.string().min(32),
  admissionPrivateJwk: privateJwkSchema,
});

export type Secrets = { queueSecret: string; admissionPrivateJwk: JWK & { kid: string } };

type SecretsInput = { dataDir: string; queueSecret?: string; admissionPrivateJwk?: string };

export async function loadSecrets(input: SecretsInput): Promise<Secrets> {
  const file = path.join(input.dataDir, "secrets.json");
  let stored: z.infer<typeof fileSchema> | undefined;
  if (!input.queueSecret || !input.admissionPrivateJwk) {
    stored = await readOrCreateSecretsFile(file);
  }
  const jwk = input.admissionPrivateJwk
    ? parseJwk(input.admissionPrivateJwk, "FLOODGATE_ADMISSION_PRIVATE_JWK")
    : (stored?.admissionPrivateJwk as z.infer<typeof privateJwkSchema>);
  const queueSecret = input.queueSecret ?? (stored?.queueSecret as string);
  return { queueSecret, admissionPrivateJwk: { ...jwk, kid: jwk.kid ?? "floodgate-1" } };
}

function parseJwk(text: string, source: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`Invalid configuration: ${source} is not valid JSON`);
  }
  const result = privateJwkSchema.safeParse(json);
  if (!result.success)
    throw new Error(`Invalid configuration: ${source} must be a P-256 private JWK (kty EC, crv P-256, x, y, d)`);
  return result.data;
}

async function readOrCreateSecretsFile(file: string) {
  if (fs.existsSync(file)) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    if (!parsed.success)
      throw new Error(`${file} is damaged; move it away to generate new secrets (issued tokens become invalid)`);
    return parsed.data;
  }
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = privateJwkSchema.parse({ ...(await exportJWK(privateKey)), kid: `fg-${randomBytes(6).toString("hex")}` });
  const created = { queueSecret: randomBytes(32).toString("base64url"), admissionPrivateJwk: jwk };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // wx: never overwrite secrets another process wrote a moment ago.
  try {
    fs.writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateSecretsFile(file);
    throw error;
  }
  return created;
}

/** The key that signs admin sessions, derived from the queue secret (its own key, by HKDF). */
export function deriveAuthSecret(secrets: Secrets): string {
  return Buffer.from(hkdfSync("sha256", secrets.queueSecret, "floodgate", "next-auth session", 32)).toString(
    "base64url",
  );
}

/** Keys the places' reference codes (server/queue/place-reference.ts), derived from the queue secret. */
export function placeReferencesFor(secrets: Pick<Secrets, "queueSecret">): PlaceReferences {
  return createPlaceReferences(
    new Uint8Array(hkdfSync("sha256", secrets.queueSecret, "floodgate", "place reference", 32)),
  );
}

/**
 * The bot defence's keys, each its own by HKDF from the queue secret: the proof-of-work
 * challenges' two signing keys (server/queue/challenge.ts) and the key that signs places in
 * the infinite line (server/queue/infinite-line.ts), so every node and every restart knows them.
 */
export function botDefenceFor(secrets: Pick<Secrets, "queueSecret">): BotDefenceKeys {
  const derive = (info: string) =>
    Buffer.from(hkdfSync("sha256", secrets.queueSecret, "floodgate", info, 32)).toString("base64url");
  return {
    challenges: createChallenges({ signature: derive("pow signature"), keySignature: derive("pow key signature") }),
    shadowTokens: createQueueTokens(derive("infinite line")),
    passTokens: createQueueTokens(derive("bypass pass")),
  };
}
