import { mulberry32 } from "@/server/testing/seeded-random";
// Faults the dynalite test front (server/testing/dynalite.ts) injects on request, off by
// default, so the DynamoDB store's and the SDK's retry paths run in tests as they do under
// contention on DynamoDB. Each is a probability, drawn per request (or per item):
//
// - throttle: a data-plane request is refused before it runs: PutItem, GetItem, Query, ... with
//   ProvisionedThroughputExceededException or ThrottlingException (one of the two at random;
//   the SDK retries both, up to the client's maxAttempts); TransactWriteItems with
//   TransactionCanceledException, reason ThrottlingError on one item (the SDK does not retry
//   that; the store does).
// - conflict: as if another request held an item: TransactWriteItems cancelled with reason
//   TransactionConflict on one item; PutItem / UpdateItem / DeleteItem refused with
//   TransactionConflictException (neither retried by the SDK).
// - unprocessed: each item of a BatchGetItem / BatchWriteItem is left unprocessed
//   (UnprocessedKeys / UnprocessedItems), as DynamoDB does when a partition is busy.
// - lostReply: a TransactWriteItems that committed has its connection dropped instead of an
//   answer, as when a reply is lost on the network: the SDK retries with the same
//   ClientRequestToken and the front must answer the retry from the first commit. A PutItem
//   that landed likewise: its retry finds the item it wrote.
//
// `only` limits the faults to some API operations (e.g. ["UpdateItem"]); `seed` makes the draws
// repeatable (the order of concurrent requests still varies).
//
// As a spec (CLI `--faults`, env FLOODGATE_TEST_DYNAMODB_FAULTS, POST /__faults):
//   "throttle=0.05,conflict=0.05,unprocessed=0.2,lostReply=0.05,only=TransactWriteItems+UpdateItem,seed=7"

export type FaultSettings = {
  throttle: number;
  conflict: number;
  unprocessed: number;
  lostReply: number;
  only: string[] | null;
  seed: number | null;
};

export const noFaults: FaultSettings = {
  throttle: 0,
  conflict: 0,
  unprocessed: 0,
  lostReply: 0,
  only: null,
  seed: null,
};

const rateNames = ["throttle", "conflict", "unprocessed", "lostReply"] as const;
type RateName = (typeof rateNames)[number];

/** Settings from a spec string ("" or "none": no faults); throws naming what is wrong. */
export function parseFaultSpec(spec: string): FaultSettings {
  const settings: FaultSettings = { ...noFaults };
  const trimmed = spec.trim();
  if (trimmed === "" || trimmed === "none") return settings;
  for (const part of trimmed.split(",")) {
    const [name, value = ""] = part.split("=").map((s) => s.trim());
    if (name === "only") {
      settings.only = value.split("+").filter(Boolean);
    } else if (name === "seed") {
      if (!/^\d+$/.test(value)) throw new Error(`fault spec: seed must be a whole number, got "${value}"`);
      settings.seed = Number(value);
    } else if ((rateNames as readonly string[]).includes(name ?? "")) {
      const rate = Number(value);
      if (value === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw new Error(`fault spec: ${name} must be a probability between 0 and 1, got "${value}"`);
      }
      settings[name as RateName] = rate;
    } else {
      throw new Error(`fault spec: unknown setting "${name}" (known: ${[...rateNames, "only", "seed"].join(", ")})`);
    }
  }
  return settings;
}

/** Settings from a partial object (the JSON of POST /__faults); unknown fields refused. */
export function faultSettingsFrom(input: unknown): FaultSettings {
  if (typeof input === "string") return parseFaultSpec(input);
  if (typeof input !== "object" || input === null) throw new Error("faults: expected an object or a spec string");
  const settings: FaultSettings = { ...noFaults };
  for (const [name, value] of Object.entries(input)) {
    if (name === "only") {
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) {
        throw new Error("faults: only must be a list of operation names");
      }
      settings.only = value as string[] | null;
    } else if (name === "seed") {
      if (value !== null && !Number.isInteger(value)) throw new Error("faults: seed must be an integer");
      settings.seed = value as number | null;
    } else if ((rateNames as readonly string[]).includes(name)) {
      if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
        throw new Error(`faults: ${name} must be a probability between 0 and 1`);
      }
      settings[name as RateName] = value;
    } else throw new Error(`faults: unknown setting "${name}"`);
  }
  return settings;
}

/** Draws the faults; one per front. */
export class FaultInjector {
  private settings: FaultSettings = { ...noFaults };
  private random: () => number = Math.random;

  constructor(settings: Partial<FaultSettings> = {}) {
    this.set(settings);
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = { ...noFaults, ...settings };
    this.random = this.settings.seed === null ? Math.random : mulberry32(this.settings.seed);
  }

  current(): FaultSettings {
    return { ...this.settings, only: this.settings.only ? [...this.settings.only] : null };
  }

  /** Whether this request of `operation` meets fault `kind` now. */
  hits(kind: RateName, operation: string): boolean {
    const rate = this.settings[kind];
    if (rate <= 0) return false;
    if (this.settings.only && !this.settings.only.includes(operation)) return false;
    return this.random() < rate;
  }

  /** One of `n` (which item of a transaction carries the reason). */
  pick(n: number): number {
    return Math.min(n - 1, Math.floor(this.random() * n));
  }
}
