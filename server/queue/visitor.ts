import type { WheelItem } from "@/server/queue/deadline-wheel";

// A visitor as the engine holds it, and the key its token is indexed by. Shared by the room's
// state, its status replies and the engine.

/**
 * A visitor as the engine holds it. `admitting` counts against capacity while the admission
 * is being made durable; the admission token is only handed out once it is `admitted`.
 */
export type Visitor = WheelItem & {
  id: string;
  /** The place handed out at arrival (in the store and the queue token): never changes. */
  seq: number;
  /** Its key in `line`: the seq, or another pre-queue member's seq after the pre-queue's shuffle. */
  place: number;
  /** Arrived while a pre-queue was open: waits in `preQueue`, not in `line`, until its release. */
  held: boolean;
  state: "waiting" | "admitting" | "admitted";
  initialAhead: number;
  enteredAtMs: number;
  admittedAtMs: number | null;
  admissionNo: number | null;
  /** The queue token issued to this visitor; null after a restart until first verified. */
  token: string | null;
  /** Sent an explicit leave; removed at the deadline unless a heartbeat comes first. */
  leaving: boolean;
  /** The place's reference code (place-reference.ts), derived from `seq` when first shown. */
  reference: string | null;
  /** When its session began (admission, or its last renewal), under a time limit; else null. */
  sessionStartMs: number | null;
  /** Skipped the line (a bypass address or API key). */
  bypassed: boolean;
  /** The page that sent the leave, when it said; its own late heartbeats do not undo it. */
  leftPage: string | null;
  /**
   * 0, or its turn among those an operator moved to the front (lower goes first): then it is in
   * `front`, not in `line`, and stays so while its admission is written, so a refused write
   * puts it back at the front.
   */
  frontRank: number;
};

/**
 * A pre-queue (a scheduled event's): arrivals from `opensAtMs` wait here, are not admitted, and
 * at the event's start are released into the line in an order drawn at random.
 */
export type PreQueue = { opensAtMs: number; startsAtMs: number; members: Set<Visitor> };

/** base64url character code -> its 6 bits; -1 for anything else. */
const base64urlBits = new Int8Array(128).fill(-1);
for (const [bits, char] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) {
  base64urlBits[char.charCodeAt(0)] = bits;
}

/**
 * The `byToken` key of a token: 30 bits of its signature (HMAC-SHA256, the last 43 characters
 * of a canonical token; the five before the last, whose bits are all used), as a small integer.
 * A heartbeat's token is a new string each time: keyed by the whole string, its ~200
 * characters were hashed on every lookup (2.5% of a heartbeat's CPU in a 100,000-visitor
 * room), and compared through sliced strings when keyed by the signature's text. -1 when
 * those characters are not base64url (no canonical token's key). Two live tokens share a key
 * about once per 10^9 pairs; the index then holds one of them, and the other visitor is
 * authenticated the slow way (verified) on each request: correct, only slower.
 */
export function tokenKey(token: string): number {
  const end = token.length - 1;
  if (end < 5) return -1;
  let key = 0;
  for (let i = end - 5; i < end; i++) {
    const code = token.charCodeAt(i);
    const bits = code < 128 ? (base64urlBits[code] as number) : -1;
    if (bits < 0) return -1;
    key = (key << 6) | bits;
  }
  return key;
}
