import { createHmac } from "node:crypto";

// A place's reference: a short code a visitor can read out to support ("K7QF-2M"), found again
// from the console. It is the place's number in its room (`seq`, unique and never reused),
// put through a keyed permutation and written in an alphabet without look-alikes. Nothing is
// stored: every node with the same key derives the same reference, before and after a
// restart, on SQLite and on DynamoDB. The key is secret, so a reference says nothing about
// when its holder arrived, and neighbours' references cannot be worked out from one's own. A
// reference is not a credential: it only names a place for someone who is signed in.

/** No 0/O, 1/I/L, U: nothing two people could read differently over the phone. */
export const referenceAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
const base = referenceAlphabet.length;
const codeLength = 6;
/** Places per lap: 30^6. A room's first 729 million places get a six-character reference. */
export const referenceDomain = base ** codeLength;
const halfBits = 15;
const halfMask = (1 << halfBits) - 1;
const rounds = 6;

export type RoomReferences = {
  /** The reference of place `seq` (a positive integer). */
  of(seq: number): string;
  /** The place a reference names, or null if it is not one this room could have given. */
  seqOf(reference: string): number | null;
};

export type PlaceReferences = { forRoom(roomId: string): RoomReferences };

/** References keyed by `key` (secret; the same on every node). Rooms get their own permutation. */
export function createPlaceReferences(key: Uint8Array): PlaceReferences {
  const rooms = new Map<string, RoomReferences>();
  return {
    forRoom(roomId) {
      let references = rooms.get(roomId);
      if (!references) {
        references = roomReferences(roundKeysFor(key, roomId));
        rooms.set(roomId, references);
      }
      return references;
    },
  };
}

function roundKeysFor(key: Uint8Array, roomId: string): Uint32Array {
  const digest = createHmac("sha256", key).update(`place-reference\0${roomId}`).digest();
  const keys = new Uint32Array(rounds);
  for (let i = 0; i < rounds; i++) keys[i] = digest.readUInt32LE(i * 4);
  return keys;
}

function roomReferences(keys: Uint32Array): RoomReferences {
  return {
    of(seq) {
      if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`no reference for place ${seq}`);
      // Beyond one lap (729 million places) the lap number follows: still unique, one part longer.
      const lap = Math.floor((seq - 1) / referenceDomain);
      const code = spell(permute(keys, (seq - 1) % referenceDomain));
      const text = `${code.slice(0, 4)}-${code.slice(4)}`;
      return lap === 0 ? text : `${text}-${spellNumber(lap)}`;
    },
    seqOf(reference) {
      const parts = normalizeReference(reference);
      if (!parts) return null;
      const index = unpermute(keys, parts.code);
      return parts.lap * referenceDomain + index + 1;
    },
  };
}

/**
 * The code and lap a typed reference names: case, spaces and dashes do not matter. Null when
 * it cannot be a reference (wrong length, a letter outside the alphabet).
 */
export function normalizeReference(input: string): { code: number; lap: number } | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length < codeLength || compact.length > codeLength + 8) return null;
  const code = readNumber(compact.slice(0, codeLength));
  const lap = compact.length === codeLength ? 0 : readNumber(compact.slice(codeLength));
  if (code === null || lap === null || (compact.length > codeLength && lap === 0)) return null;
  return { code, lap };
}

/** Whether a search text has the shape of a reference (the console searches ids otherwise). */
export function looksLikeReference(input: string): boolean {
  return normalizeReference(input) !== null;
}

function readNumber(text: string): number | null {
  let value = 0;
  for (const char of text) {
    const digit = referenceAlphabet.indexOf(char);
    if (digit < 0) return null;
    value = value * base + digit;
  }
  return Number.isSafeInteger(value) ? value : null;
}

function spell(value: number): string {
  let text = "";
  let rest = value;
  for (let i = 0; i < codeLength; i++) {
    text = referenceAlphabet[rest % base] + text;
    rest = Math.floor(rest / base);
  }
  return text;
}

function spellNumber(value: number): string {
  let text = "";
  let rest = value;
  do {
    text = referenceAlphabet[rest % base] + text;
    rest = Math.floor(rest / base);
  } while (rest > 0);
  return text;
}

/**
 * A bijection on [0, referenceDomain): a balanced Feistel network on 30 bits (2^30 > 30^6),
 * walking the cycle until the value falls back inside the domain. Each step is a bijection
 * on 30 bits, so the walk always ends, on average after 1.5 steps.
 */
function permute(keys: Uint32Array, value: number): number {
  let x = value;
  do x = feistel(keys, x, false);
  while (x >= referenceDomain);
  return x;
}

function unpermute(keys: Uint32Array, value: number): number {
  let x = value;
  do x = feistel(keys, x, true);
  while (x >= referenceDomain);
  return x;
}

function feistel(keys: Uint32Array, value: number, inverse: boolean): number {
  let left = (value >>> halfBits) & halfMask;
  let right = value & halfMask;
  for (let i = 0; i < rounds; i++) {
    if (inverse) {
      const previousRight = left;
      left = right ^ roundFunction(previousRight, keys[rounds - 1 - i] as number);
      right = previousRight;
    } else {
      const nextLeft = right;
      right = left ^ roundFunction(right, keys[i] as number);
      left = nextLeft;
    }
  }
  return ((left << halfBits) | right) >>> 0;
}

/** A keyed 32-bit mix (murmur3's finaliser), cut to half a block. */
function roundFunction(half: number, key: number): number {
  let h = (half ^ key) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & halfMask;
}
