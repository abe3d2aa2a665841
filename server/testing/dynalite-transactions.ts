import type http from "node:http";
import type { CapacityMeter, TransactionCharge } from "@/server/testing/dynalite-billing";
import type { FaultInjector } from "@/server/testing/dynalite-faults";
import type { ItemLocks } from "@/server/testing/dynalite-locks";
import {
  type CallResult,
  call,
  errorReply,
  errorType,
  itemIdentity,
  type Json,
  jsonReply,
  type KeySchemas,
  keyOf,
  type Reply,
  readItems,
  type Upstream,
  validationError,
  writeItems,
} from "@/server/testing/dynalite-upstream";

// TransactWriteItems for the dynalite test front, which dynalite lacks, with DynamoDB's
// semantics as far as a client can tell them apart:
//
// - Optimistic concurrency, no global lock: a transaction holds its items (ItemLocks) from its
//   first read to its last write; another transaction naming one of them meanwhile is cancelled
//   with reason TransactionConflict, a plain write on one is refused (dynalite.ts).
// - Conditions first, writes after: each item's condition and update expression is evaluated by
//   dynalite itself on a copy of the item in a scratch table (`<table>.tx-scratch`, same key
//   schema), so nothing is written unless every condition holds. Then the new images are
//   written to the real table one at a time, the event loop free in between: a read meanwhile
//   may see some items of the transaction written and others not (read-committed per item, all
//   DynamoDB promises outside TransactGetItems), but never a write that is later undone.
// - ClientRequestToken: the same token and the same request within the idempotency window (10
//   minutes after the first call completed) answer success without applying again; the same
//   token with another request is IdempotentParameterMismatchException; the same token while
//   the first call still runs is TransactionInProgressException. A cancelled call leaves no
//   record (its retry runs anew).
// - Validation as DynamoDB's: 1 to 100 items, one operation per item; CancellationReasons one
//   per item, in order; ReturnValuesOnConditionCheckFailure ALL_OLD puts the item in its reason.

const maxTransactionItems = 100;
export const idempotencyWindowMs = 10 * 60_000;

type Step = {
  kind: "Put" | "Update" | "Delete" | "ConditionCheck";
  /** The single-item operation that evaluates it on the scratch copy. */
  operation: string;
  request: Json;
  table: string;
  key: Json;
  identity: string;
  returnOld: boolean;
};

type Checked =
  | { outcome: "passed"; next: Json | undefined }
  | { outcome: "failed" }
  | { outcome: "error"; reply: Reply };

type TokenRecord = { fingerprint: string; state: "running" | "committed"; items: number; expiresAtMs: number };

/** What to answer; `loseReply`: drop the connection instead (an injected lost answer). */
export type TransactionOutcome = { reply: Reply; loseReply?: boolean };

export class TransactionRunner {
  /** TransactWriteItems requests seen (committed, cancelled or refused). */
  count = 0;
  private nextOwner = 1;
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly scratch = new Map<string, Promise<string | null>>();

  constructor(
    private readonly upstream: Upstream,
    private readonly schemas: KeySchemas,
    private readonly locks: ItemLocks,
    private readonly faults: FaultInjector,
    private readonly meter: CapacityMeter,
    private readonly windowMs = idempotencyWindowMs,
  ) {}

  async run(headers: http.IncomingHttpHeaders, body: Buffer): Promise<TransactionOutcome> {
    this.count++;
    const refuse = (reply: Reply): TransactionOutcome => {
      this.meter.plain("TransactWriteItems", body, reply.status, reply.body);
      return { reply };
    };
    const input = JSON.parse(body.toString()) as Json & { TransactItems?: Json[]; ClientRequestToken?: string };
    const parsed = await this.parse(headers, input.TransactItems ?? []);
    if ("reply" in parsed) return refuse(parsed.reply);
    const steps = parsed.steps;

    const token = typeof input.ClientRequestToken === "string" ? input.ClientRequestToken : null;
    const { ClientRequestToken: _, ...rest } = input;
    const fingerprint = JSON.stringify(rest);
    if (token) {
      this.pruneTokens();
      const record = this.tokens.get(token);
      if (record && record.fingerprint !== fingerprint) {
        return refuse(
          errorReply("IdempotentParameterMismatchException", "Transaction request parameters do not match the token"),
        );
      }
      if (record?.state === "running") {
        this.meter.event("transactionsInProgress");
        return refuse(
          errorReply("TransactionInProgressException", "The transaction with the given token is in progress"),
        );
      }
      if (record?.state === "committed") {
        this.meter.replay(record.items);
        return { reply: jsonReply(200, {}) };
      }
    }

    if (this.faults.hits("throttle", "TransactWriteItems")) {
      this.meter.event("injectedThrottles");
      return refuse(cancellation(steps.length, this.faults.pick(steps.length), "ThrottlingError"));
    }
    const billedUnread = (): TransactionCharge => ({
      items: steps.map((step) => ({ kind: step.kind, before: undefined, after: putItemOf(step) })),
      committed: false,
    });
    if (this.faults.hits("conflict", "TransactWriteItems")) {
      this.meter.event("injectedConflicts");
      this.meter.transaction(billedUnread());
      return { reply: cancellation(steps.length, this.faults.pick(steps.length), "TransactionConflict") };
    }

    const owner = this.nextOwner++;
    const identities = steps.map((step) => step.identity);
    const taken = new Set(this.locks.claim(identities, owner));
    if (taken.size) {
      this.meter.event("transactionConflicts");
      this.meter.transaction(billedUnread());
      const reasons = steps.map((step) =>
        taken.has(step.identity)
          ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
          : { Code: "None" },
      );
      return { reply: cancelledWith(reasons) };
    }
    if (token) this.tokens.set(token, { fingerprint, state: "running", items: steps.length, expiresAtMs: Infinity });
    let committed = false;
    try {
      const reply = await this.runHeld(headers, steps);
      committed = reply.status === 200;
      if (!committed) return { reply };
      if (token) {
        this.tokens.delete(token);
        this.tokens.set(token, {
          fingerprint,
          state: "committed",
          items: steps.length,
          expiresAtMs: Date.now() + this.windowMs,
        });
      }
      if (this.faults.hits("lostReply", "TransactWriteItems")) {
        this.meter.event("injectedLostReplies");
        return { reply, loseReply: true };
      }
      return { reply };
    } finally {
      this.locks.release(identities, owner);
      if (token && !committed) this.tokens.delete(token);
    }
  }

  /** The items, validated and keyed; or the answer refusing the request. */
  private async parse(headers: http.IncomingHttpHeaders, items: Json[]): Promise<{ steps: Step[] } | { reply: Reply }> {
    if (items.length < 1 || items.length > maxTransactionItems) {
      return {
        reply: validationError(
          `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${maxTransactionItems}`,
        ),
      };
    }
    const steps: Step[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const [kind, request] = Object.entries(item)[0] as [string, Json];
      const table = String(request.TableName);
      const keys = await this.schemas.keysOf(headers, table);
      if (!keys) return { reply: errorReply("ResourceNotFoundException", "Requested resource not found") };
      const key = kind === "Put" ? keyOf(request.Item as Json, keys) : (request.Key as Json | undefined);
      if (!key) return { reply: validationError(`${kind} needs a Key`) };
      const identity = itemIdentity(table, key);
      if (seen.has(identity))
        return { reply: validationError("Transaction request cannot include multiple operations on one item") };
      seen.add(identity);
      // dynalite predates the setting; the front reads the item itself.
      const { ReturnValuesOnConditionCheckFailure: returnValues, ...rest } = request;
      const returnOld = returnValues === "ALL_OLD";
      const base = { request: rest, table, key, identity, returnOld };
      if (kind === "Put") steps.push({ ...base, kind, operation: "PutItem" });
      else if (kind === "Delete") steps.push({ ...base, kind, operation: "DeleteItem" });
      else if (kind === "Update") steps.push({ ...base, kind, operation: "UpdateItem" });
      else if (kind === "ConditionCheck") {
        // A condition without a write: an update of the scratch copy that changes nothing.
        const names = { ...((rest.ExpressionAttributeNames as Json | undefined) ?? {}), "#txCheck": "__txCheck" };
        const request = { ...rest, UpdateExpression: "REMOVE #txCheck", ExpressionAttributeNames: names };
        steps.push({ ...base, kind, operation: "UpdateItem", request });
      } else return { reply: validationError(`Unknown transaction item ${kind}`) };
    }
    return { steps };
  }

  /** With every item held: check all conditions, then write the items one by one. */
  private async runHeld(headers: http.IncomingHttpHeaders, steps: Step[]): Promise<Reply> {
    await this.locks.writesLanded(steps.map((step) => step.identity));
    const scratchOf = new Map<string, string>();
    for (const table of new Set(steps.map((step) => step.table))) {
      const scratch = await this.scratchTable(headers, table);
      if (!scratch) return errorReply("ResourceNotFoundException", "Requested resource not found");
      scratchOf.set(table, scratch);
    }
    const read = await readItems(this.upstream, headers, steps);
    if ("reply" in read) return read.reply;
    const olds = steps.map((step) => read.images.get(step.identity));
    const scratchCopy = (step: Step) => ({ table: scratchOf.get(step.table) as string, key: step.key });
    // The scratch copies are the transaction's own (its items are held): written side by side,
    // and removed before the items are released, while the real items are written.
    const cleanup = () => writeItems(this.upstream, headers, steps.map(scratchCopy), { parallel: true });
    let checked: Checked[];
    try {
      await writeItems(
        this.upstream,
        headers,
        steps.flatMap((step, i) => (olds[i] ? [{ ...scratchCopy(step), item: olds[i] }] : [])),
        { parallel: true },
      );
      checked = await Promise.all(steps.map((step) => this.check(headers, step, scratchCopy(step).table)));
    } catch (error) {
      await cleanup();
      throw error;
    }
    // Not a condition (a malformed expression, a wrong key): nothing was written; pass it on.
    const error = checked.find((c) => c.outcome === "error");
    if (error && "reply" in error) {
      await cleanup();
      return error.reply;
    }
    const failed = checked.some((c) => c.outcome === "failed");
    // DynamoDB bills a cancelled transaction's items too.
    this.meter.transaction({
      items: steps.map((step, i) => ({ kind: step.kind, before: olds[i], after: putItemOf(step) })),
      committed: !failed,
    });
    if (failed) {
      await cleanup();
      const reasons = steps.map((step, i) => {
        if (checked[i]?.outcome !== "failed") return { Code: "None" } as Json;
        const reason: Json = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
        if (step.returnOld && olds[i]) reason.Item = olds[i];
        return reason;
      });
      return cancelledWith(reasons);
    }
    // Written in batches of 25, one batch at a time with the event loop free in between (and
    // dynalite writes a batch item by item): a read meanwhile may see the transaction half done.
    const writes = steps.flatMap((step, i) =>
      step.kind === "ConditionCheck"
        ? []
        : [{ table: step.table, key: step.key, item: (checked[i] as { next?: Json }).next }],
    );
    await Promise.all([
      cleanup(),
      writeItems(this.upstream, headers, writes, { between: () => new Promise((resolve) => setImmediate(resolve)) }),
    ]);
    return jsonReply(200, {});
  }

  /** Evaluates one item on its copy in the scratch table: what it would become, or that its condition failed. */
  private async check(headers: http.IncomingHttpHeaders, step: Step, scratch: string): Promise<Checked> {
    // Nothing to evaluate: an unconditional Put or Delete.
    if (!step.request.ConditionExpression && (step.kind === "Put" || step.kind === "Delete")) {
      return { outcome: "passed", next: putItemOf(step) };
    }
    const result: CallResult = await call(this.upstream, headers, step.operation, {
      ...step.request,
      TableName: scratch,
      ReturnValues: step.kind === "Update" ? "ALL_NEW" : "NONE",
    });
    if (result.ok) {
      const next =
        step.kind === "Put" ? putItemOf(step) : step.kind === "Update" ? (result.data.Attributes as Json) : undefined;
      return { outcome: "passed", next };
    }
    if (errorType(result.data) === "ConditionalCheckFailedException") return { outcome: "failed" };
    return { outcome: "error", reply: result.raw };
  }

  /** `<table>.tx-scratch`, created once with the table's key schema; null if the table does not exist. */
  private scratchTable(headers: http.IncomingHttpHeaders, table: string): Promise<string | null> {
    let made = this.scratch.get(table);
    if (!made) {
      made = this.createScratch(headers, table);
      this.scratch.set(table, made);
      made.then(
        (name) => name ?? this.scratch.delete(table),
        () => this.scratch.delete(table),
      );
    }
    return made;
  }

  private async createScratch(headers: http.IncomingHttpHeaders, table: string): Promise<string | null> {
    const described = await this.schemas.describe(headers, table);
    if (!described) return null;
    const name = `${table}.tx-scratch`;
    const definitions = (described.table.AttributeDefinitions as { AttributeName: string }[]).filter((d) =>
      described.keys.includes(d.AttributeName),
    );
    const created = await call(this.upstream, headers, "CreateTable", {
      TableName: name,
      KeySchema: described.table.KeySchema,
      AttributeDefinitions: definitions,
      BillingMode: "PAY_PER_REQUEST",
    });
    if (!created.ok && errorType(created.data) !== "ResourceInUseException") {
      throw new Error(`dynalite front: cannot create ${name}: ${created.raw.body.toString()}`);
    }
    for (;;) {
      const state = await call(this.upstream, headers, "DescribeTable", { TableName: name });
      if (state.ok && (state.data.Table as Json).TableStatus === "ACTIVE") return name;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Forgets tokens whose window has passed (records are kept in completion order). */
  private pruneTokens(): void {
    const now = Date.now();
    for (const [token, record] of this.tokens) {
      if (record.state === "running") continue;
      if (record.expiresAtMs > now) break;
      this.tokens.delete(token);
    }
  }
}

function putItemOf(step: Step): Json | undefined {
  return step.kind === "Put" ? (step.request.Item as Json) : undefined;
}

/** Cancelled with `code` on item `at` of `n` (an injected fault), None on the others. */
function cancellation(n: number, at: number, code: string): Reply {
  const message = code === "ThrottlingError" ? "Request rate is too high" : "Transaction is ongoing for the item";
  return cancelledWith(
    Array.from({ length: n }, (_, i) => (i === at ? { Code: code, Message: message } : { Code: "None" })),
  );
}

function cancelledWith(reasons: Json[]): Reply {
  return errorReply(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
    { CancellationReasons: reasons },
  );
}
