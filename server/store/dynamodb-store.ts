import "server-only";
import type { CancellationReason, DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Logger } from "@/server/log";
import { readStoredBranding, readStoredLanguage, reportOnce } from "@/server/queue/branding";
import { defaultChallengeDifficulty } from "@/server/queue/challenge-settings";
import { type RoomConfig, type RoomMode, type RoomSettings, roomModes } from "@/server/queue/types";
import { createDynamoClient, type DynamoConnection } from "@/server/store/dynamodb-table";
import {
  type Admission,
  type Arrival,
  pickRoomSettings,
  type QueueStore,
  type Removal,
  type RemovalReason,
  type RoomCounters,
  StoreConflictError,
  type StoredEntry,
} from "@/server/store/queue-store";
import { type Settle, settleBoth } from "@/server/store/settle";

// The shared store: one DynamoDB table (design, costs and reasons: server/store/README.md,
// "DynamoDB store"). Capacity is guarded by DynamoDB itself: an admission is one
// TransactWriteItems that raises the room's `active` only if it stays within capacity and
// flips entries only if they are still waiting, so engines on several nodes cannot race it
// past capacity. `active` moves only inside transactions (idempotent under SDK retries).
//
// Writes for one room run in the order they were filed (a removal lands before the admission
// that reuses its slot; nothing overtakes a room's deletion), batched: the arrivals filed while
// a batch runs share one place reservation. Rooms run side by side.

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
/** A new entry's conditional put: as a transaction's Put or a PutItem alone. */
type EntryPut = NonNullable<TransactItem["Put"]>;

export type DynamoQueueStoreOptions = {
  tableName: string;
  /**
   * How long an entry outlives its arrival, and its admission once admitted, before DynamoDB's
   * TTL may delete it: a last resort for entries nobody removes (an abandoned deployment).
   * Keep it above any real wait plus stay. Default 24 h, the queue cookie's lifetime.
   */
  entryTtlSeconds?: number;
  /** Items per Query page (DynamoDB's 1 MB page when unset); tests set it small to exercise paging. */
  queryPageSize?: number;
  /** Where a stored room setting that fails its check is reported (once per room and problem). */
  logger?: Pick<Logger, "warn">;
};

/**
 * A lease the writer must hold for its queue writes to land (cluster mode: the node running
 * the rooms), so a node that lost the lease without knowing it yet (paused, partitioned) can
 * no longer admit, remove or take places. Taking the fence claims every room: its ARRIVALS and
 * COUNTERS items get the fencing token, and every write to them is conditional on it, so a
 * write of an older holder fails at no extra cost per write. Rare writes (a room created or
 * deleted) check the lease item itself. Lease items: server/store/dynamodb-lease.ts.
 */
export type WriteFence = { leaseName: string; holderId: string; fencingToken: number };

/** A transaction refused because the writer no longer holds the lease it was fenced with. */
export class StoreFencedError extends Error {
  constructor(fence: WriteFence) {
    super(`queue write refused: lease ${fence.leaseName} is no longer held with token ${fence.fencingToken}`);
    this.name = "StoreFencedError";
  }
}

/** DynamoDB's limit on items per TransactWriteItems. */
const maxTransactionItems = 100;
/** Items a write may put in one transaction (one slot stays free for a lease check). */
const itemsPerTransaction = maxTransactionItems - 1;
/** Transactions one bulk write keeps in flight. */
const parallelTransactions = 8;
const batchWriteItems = 25;
const batchGetItems = 100;
const retryAttempts = 6;
/** Enters, admissions and removals one room batch takes; room settings changes run alone. */
const maxJobsPerBatch = 500;
const defaultEntryTtlSeconds = 86_400;

const roomsPk = "ROOMS";
/** The lease items' partition (dynamodb-lease.ts). */
const leasePk = "LEASE";
const sequenceSk = "SEQUENCE";
const roomSk = (roomId: string) => `ROOM#${roomId}`;
const roomPk = (roomId: string) => `ROOM#${roomId}`;
const arrivalsSk = "ARRIVALS";
const countersSk = "COUNTERS";
const entryPrefix = "ENTRY#";
const entrySk = (visitorId: string) => `${entryPrefix}${visitorId}`;

type EntryState = StoredEntry["state"];
type EnterJob = { kind: "enter"; arrivals: Arrival[]; done: Settle<number[]> };
type RemoveJob = { kind: "remove"; removals: Removal[]; done: Settle<void> };
/** An admission (`alone: false`) or a room settings change (`alone: true`); settles its own promise. */
type TaskJob = { kind: "task"; alone: boolean; run: () => Promise<void> };
type Job = EnterJob | RemoveJob | TaskJob;
type Lane = { jobs: Job[]; running: Promise<void> | null };

const removalTotal: Record<RemovalReason, keyof RoomCounters> = {
  expired: "expiredTotal",
  left: "leftTotal",
  evicted: "evictedTotal",
};

export class DynamoQueueStore implements QueueStore {
  /** One TransactWriteItems holds at most 100 items: the lease's fence, the room's counters and 98 entries. */
  readonly maxAdmissionBatch = itemsPerTransaction - 1;
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly entryTtlSeconds: number;
  private readonly queryPageSize: number | undefined;
  private readonly lanes = new Map<string, Lane>();
  private fence: WriteFence | null = null;
  private onFenced: ((error: StoreFencedError) => void) | null = null;
  /** A stored setting that no longer passes its check is left out of the room, and said once. */
  private readonly reportBadSetting: (roomId: string, problem: string) => void;

  constructor(
    private readonly client: DynamoDBClient,
    options: DynamoQueueStoreOptions,
    private readonly ownsClient = false,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.entryTtlSeconds = options.entryTtlSeconds ?? defaultEntryTtlSeconds;
    this.queryPageSize = options.queryPageSize;
    this.reportBadSetting = reportOnce((problem, room) =>
      options.logger?.warn({ room, problem }, "a stored room setting fails its check: the room goes on without it"),
    );
  }

  /** A store on its own client (closed with the store); the table must exist (ensureTable). */
  static open(options: DynamoQueueStoreOptions & DynamoConnection): DynamoQueueStore {
    return new DynamoQueueStore(createDynamoClient(options), options, true);
  }

  /**
   * From now on every queue write requires this lease (null: none): claims every room for its
   * fencing token first (rejects with StoreFencedError if a newer holder has claimed one).
   * Call before loading rooms: what is read after the claim can no longer be changed by an
   * older holder. `onFenced` hears of each refusal (the node should step down at once).
   */
  async setFence(fence: WriteFence | null, onFenced?: (error: StoreFencedError) => void): Promise<void> {
    this.fence = fence;
    this.onFenced = onFenced ?? null;
    if (!fence) return;
    for (const room of await this.listRooms()) {
      for (const sk of [arrivalsSk, countersSk]) {
        try {
          await this.write(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: roomPk(room.id), sk },
              UpdateExpression: "SET fenceToken = :token",
              ConditionExpression: "attribute_not_exists(fenceToken) OR fenceToken <= :token",
              ExpressionAttributeValues: { ":token": fence.fencingToken },
            }),
          );
        } catch (error) {
          if (isConditionFailure(error)) throw this.refused(fence);
          throw error;
        }
      }
    }
  }

  /**
   * The condition that makes a write to a room's ARRIVALS or COUNTERS item fenced: `base`, and
   * while fenced, "the item carries our token".
   */
  private guarded(base: string, values: Record<string, unknown>) {
    const fence = this.fence;
    if (!fence) return { ConditionExpression: base, ExpressionAttributeValues: values };
    return {
      ConditionExpression: `${base} AND fenceToken = :fenceToken`,
      ExpressionAttributeValues: { ...values, ":fenceToken": fence.fencingToken },
    };
  }

  /**
   * After a guarded write's condition failed: was it the fence? One consistent read of the
   * room's item; throws StoreFencedError if another holder's token is on it.
   */
  private async checkFence(roomId: string, sk: string): Promise<void> {
    const fence = this.fence;
    if (!fence) return;
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: roomPk(roomId), sk }, ConsistentRead: true }),
    );
    if (out.Item && out.Item.fenceToken !== fence.fencingToken) throw this.refused(fence);
  }

  private refused(fence: WriteFence): StoreFencedError {
    const error = new StoreFencedError(fence);
    this.onFenced?.(error);
    return error;
  }

  async listRooms(): Promise<RoomConfig[]> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :room)",
      ExpressionAttributeValues: { ":pk": roomsPk, ":room": roomSk("") },
    });
    return items
      .sort((a, b) => Number(a.roomNo) - Number(b.roomNo))
      .map((item) => toRoomConfig(item, this.reportBadSetting));
  }

  ensureRoom(room: RoomConfig): Promise<RoomConfig> {
    return this.task(room.id, true, () => this.createRoomNow(room, true));
  }

  createRoom(room: RoomConfig): Promise<RoomConfig> {
    return this.task(room.id, true, () => this.createRoomNow(room, false));
  }

  updateRoom(roomId: string, patch: Partial<RoomSettings>): Promise<RoomConfig> {
    return this.task(roomId, true, () => this.updateRoomNow(roomId, patch));
  }

  deleteRoom(roomId: string): Promise<void> {
    return this.task(roomId, true, () => this.deleteRoomNow(roomId));
  }

  async loadRoomState(roomId: string): Promise<{ counters: RoomCounters; entries: StoredEntry[] }> {
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": roomPk(roomId) },
    });
    const arrivals = items.find((item) => item.sk === arrivalsSk) ?? {};
    const counters = items.find((item) => item.sk === countersSk) ?? {};
    const entries = items
      .filter((item) => String(item.sk).startsWith(entryPrefix))
      .map(
        (item): StoredEntry => ({
          id: String(item.id),
          seq: Number(item.seq),
          state: item.state === "admitted" ? "admitted" : "waiting",
          initialAhead: Number(item.initialAhead),
          enteredAtMs: Number(item.enteredAtMs),
          admittedAtMs: typeof item.admittedAtMs === "number" ? item.admittedAtMs : null,
          admissionNo: typeof item.admissionNo === "number" ? item.admissionNo : null,
        }),
      )
      .sort((a, b) => a.seq - b.seq);
    const count = (item: Record<string, unknown>, name: string, fresh: number): number => {
      const value = item[name];
      return typeof value === "number" ? value : fresh;
    };
    return {
      counters: {
        nextSeq: count(arrivals, "nextSeq", 1),
        arrivedTotal: count(arrivals, "arrivedTotal", 0),
        nextAdmission: count(counters, "nextAdmission", 1),
        admittedTotal: count(counters, "admittedTotal", 0),
        expiredTotal: count(counters, "expiredTotal", 0),
        leftTotal: count(counters, "leftTotal", 0),
        evictedTotal: count(counters, "evictedTotal", 0),
        active: count(counters, "active", 0),
      },
      entries,
    };
  }

  enter(roomId: string, arrivals: Arrival[]): Promise<number[]> {
    return new Promise((resolve, reject) => this.queue(roomId, { kind: "enter", arrivals, done: { resolve, reject } }));
  }

  admit(roomId: string, admissions: Admission[], capacity: number): Promise<void> {
    return this.task(roomId, false, () => this.admitNow(roomId, admissions, capacity));
  }

  remove(roomId: string, removals: Removal[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.queue(roomId, { kind: "remove", removals, done: { resolve, reject } }),
    );
  }

  async close(): Promise<void> {
    for (let lane = this.busyLane(); lane; lane = this.busyLane()) await lane.running;
    if (this.ownsClient) this.client.destroy();
  }

  private busyLane(): Lane | undefined {
    for (const lane of this.lanes.values()) if (lane.running) return lane;
    return undefined;
  }

  // --- Ordering: one lane per room -------------------------------------------------------

  private task<T>(roomId: string, alone: boolean, work: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) =>
      this.queue(roomId, { kind: "task", alone, run: () => work().then(resolve, reject) }),
    );
  }

  private queue(roomId: string, job: Job): void {
    let lane = this.lanes.get(roomId);
    if (!lane) {
      lane = { jobs: [], running: null };
      this.lanes.set(roomId, lane);
    }
    lane.jobs.push(job);
    lane.running ??= this.drain(roomId, lane);
  }

  private async drain(roomId: string, lane: Lane): Promise<void> {
    // Let the writes of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (lane.jobs.length) await this.runBatch(roomId, takeBatch(lane.jobs));
    lane.running = null;
    this.lanes.delete(roomId);
  }

  /**
   * Arrivals first (they are independent of admissions and removals, as in the SQLite store),
   * sharing one place reservation; then the rest in the order filed.
   */
  private async runBatch(roomId: string, batch: Job[]): Promise<void> {
    const enters = batch.filter((job): job is EnterJob => job.kind === "enter");
    if (enters.length) {
      // A visitor id twice in one batch: the later one runs after, and fails on its own.
      const seen = new Set<string>();
      const now: EnterJob[] = [];
      const later: EnterJob[] = [];
      for (const job of enters) {
        const ids = job.arrivals.map((a) => a.id);
        if (new Set(ids).size !== ids.length || ids.some((id) => seen.has(id))) later.push(job);
        else {
          for (const id of ids) seen.add(id);
          now.push(job);
        }
      }
      for (const group of [now, ...later.map((job) => [job])]) {
        // Settling twice is harmless: this only catches what enterNow did not settle.
        await this.enterNow(roomId, group).catch((error: unknown) => {
          for (const job of group) job.done.reject(error);
        });
      }
    }
    for (const job of mergeRemovals(batch.filter((job) => job.kind !== "enter"))) {
      if (job.kind === "task") await job.run();
      else if (job.kind === "remove")
        await this.removeNow(roomId, job.removals).then(job.done.resolve, job.done.reject);
    }
  }

  // --- Arrivals ----------------------------------------------------------------------------

  /**
   * Reserves consecutive places with one atomic increment, then writes the entries, 100 per
   * transaction, each put conditional on the visitor id being new. A call whose arrival is
   * refused fails alone: the transaction is retried without it, and its places already
   * written elsewhere are taken back.
   */
  private async enterNow(roomId: string, jobs: EnterJob[]): Promise<void> {
    const valid: EnterJob[] = [];
    for (const job of jobs) {
      if (new Set(job.arrivals.map((a) => a.id)).size === job.arrivals.length) valid.push(job);
      else job.done.reject(new StoreConflictError("the same visitor id twice in one arrival"));
    }
    const n = valid.reduce((sum, job) => sum + job.arrivals.length, 0);
    if (n === 0) {
      for (const job of valid) job.done.resolve([]);
      return;
    }
    let firstSeq: number;
    try {
      const reserved = await this.write(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: roomPk(roomId), sk: arrivalsSk },
          UpdateExpression: "ADD nextSeq :n, arrivedTotal :n",
          ...this.guarded("attribute_exists(pk)", { ":n": n }),
          ReturnValues: "UPDATED_NEW",
        }),
      );
      firstSeq = Number(reserved.Attributes?.nextSeq) - n;
    } catch (error) {
      let failure = error;
      if (isConditionFailure(error)) {
        failure = new StoreConflictError(`no room ${roomId}`);
        await this.checkFence(roomId, arrivalsSk).catch((fenced: unknown) => {
          failure = fenced;
        });
      }
      for (const job of valid) job.done.reject(failure);
      return;
    }
    type Place = { job: EnterJob; arrival: Arrival; seq: number };
    const places: Place[] = [];
    for (const job of valid)
      for (const arrival of job.arrivals) places.push({ job, arrival, seq: firstSeq + places.length });
    const failures = new Map<EnterJob, unknown>();
    const written: Place[] = [];
    await mapLimit(chunks(places, itemsPerTransaction), parallelTransactions, async (part) => {
      for (let pending = part; ; ) {
        pending = pending.filter((place) => !failures.has(place.job));
        if (!pending.length) return;
        let reasons: CancellationReason[] | null;
        try {
          reasons = await this.putEntries(pending.map((place) => this.entryPut(roomId, place)));
        } catch (error) {
          // Perhaps written after all (a timeout): taken back below with the rest.
          for (const place of pending) if (!failures.has(place.job)) failures.set(place.job, error);
          written.push(...pending);
          return;
        }
        if (!reasons) {
          written.push(...pending);
          return;
        }
        pending.forEach((place, i) => {
          if (reasons[i]?.Code === "ConditionalCheckFailed" && !failures.has(place.job)) {
            failures.set(
              place.job,
              new StoreConflictError(`visitor ${place.arrival.id} already has a place in room ${roomId}`),
            );
          }
        });
      }
    });
    if (failures.size) {
      // All or nothing per call: take back the places of failed calls written by other
      // transactions (a delete that finds no such place cancels harmlessly).
      const orphans = written.filter((place) => failures.has(place.job));
      await mapLimit(chunks(orphans, itemsPerTransaction), parallelTransactions, (part) =>
        this.transact(
          part.map(
            ({ arrival, seq }): TransactItem => ({
              Delete: {
                TableName: this.table,
                Key: { pk: roomPk(roomId), sk: entrySk(arrival.id) },
                ConditionExpression: "seq = :seq",
                ExpressionAttributeValues: { ":seq": seq },
              },
            }),
          ),
        ).catch(() => null),
      );
      // Stats only: a crash before this leaves arrivedTotal counting the refused arrivals.
      const refused = [...failures.keys()].reduce((sum, job) => sum + job.arrivals.length, 0);
      await this.write(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: roomPk(roomId), sk: arrivalsSk },
          UpdateExpression: "ADD arrivedTotal :minus",
          ...this.guarded("attribute_exists(pk)", { ":minus": -refused }),
        }),
      ).catch(() => undefined);
    }
    // Callers hear only now, so whatever they read next is settled.
    let next = firstSeq;
    for (const job of valid) {
      const seqs = job.arrivals.map(() => next++);
      if (failures.has(job)) job.done.reject(failures.get(job));
      else job.done.resolve(seqs);
    }
  }

  /**
   * Writes new entries, each only if absent; null once written, else the cancellation reasons
   * (nothing written). One entry goes as a conditional PutItem: a one-item transaction is
   * billed twice (2 write units instead of 1), and at the steady pace of a long line most
   * arrivals come one at a time. More go as one transaction (all or none).
   */
  private async putEntries(puts: EntryPut[]): Promise<CancellationReason[] | null> {
    const [only] = puts;
    if (puts.length !== 1 || !only) return this.transact(puts.map((Put): TransactItem => ({ Put })));
    try {
      await this.put(new PutCommand(only));
      return null;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The SDK retries a put whose answer was lost, and the retry meets the item the first
      // attempt wrote: ours if it holds the place just reserved (places are never handed out
      // twice). A transaction is made idempotent by its token instead.
      const found = await this.doc.send(
        new GetCommand({ TableName: only.TableName, Key: entryKey(only), ConsistentRead: true }),
      );
      return found.Item?.seq === only.Item?.seq ? null : [{ Code: "ConditionalCheckFailed" }];
    }
  }

  private entryPut(roomId: string, { arrival, seq }: { arrival: Arrival; seq: number }): EntryPut {
    return {
      TableName: this.table,
      Item: {
        pk: roomPk(roomId),
        sk: entrySk(arrival.id),
        id: arrival.id,
        seq,
        state: "waiting",
        initialAhead: arrival.initialAhead,
        enteredAtMs: arrival.enteredAtMs,
        expiresAt: this.expiresAt(arrival.enteredAtMs),
      },
      ConditionExpression: "attribute_not_exists(pk)",
    };
  }

  // --- Admissions --------------------------------------------------------------------------

  /**
   * One transaction per 99 admissions: the counters' capacity condition and each entry's
   * "still waiting". The engine sends at most `maxAdmissionBatch`; a longer list is split, and
   * if a later part is refused the earlier parts are taken back, so a conflict leaves nothing.
   */
  private async admitNow(roomId: string, admissions: Admission[], capacity: number): Promise<void> {
    if (!admissions.length) return;
    if (new Set(admissions.map((a) => a.id)).size !== admissions.length) {
      throw new StoreConflictError("the same visitor twice in one admission");
    }
    if (capacity < Number.MAX_SAFE_INTEGER && admissions.length > capacity) {
      throw new StoreConflictError(`admitting ${admissions.length} would exceed capacity ${capacity}`);
    }
    const written: Admission[] = [];
    try {
      for (const part of chunks(admissions, this.maxAdmissionBatch)) {
        const reasons = await this.transact(this.admissionItems(roomId, part, capacity));
        if (reasons) {
          if (reasons[0]?.Code === "ConditionalCheckFailed") await this.checkFence(roomId, countersSk);
          const notWaiting = reasons.slice(1).filter((r) => r.Code === "ConditionalCheckFailed").length;
          throw new StoreConflictError(
            reasons[0]?.Code === "ConditionalCheckFailed"
              ? `admitting ${admissions.length} would exceed capacity ${capacity} in room ${roomId} (or the room is gone)`
              : `${notWaiting} of ${admissions.length} entries are not waiting in room ${roomId}`,
          );
        }
        written.push(...part);
      }
    } catch (error) {
      if (written.length) await this.takeBackAdmissions(roomId, written);
      throw error;
    }
  }

  private admissionItems(roomId: string, part: Admission[], capacity: number): TransactItem[] {
    const unlimited = capacity >= Number.MAX_SAFE_INTEGER;
    let lastNo = 0;
    for (const a of part) lastNo = Math.max(lastNo, a.admissionNo);
    return [
      {
        Update: {
          TableName: this.table,
          Key: { pk: roomPk(roomId), sk: countersSk },
          UpdateExpression: "SET nextAdmission = :next ADD active :n, admittedTotal :n",
          ...(unlimited
            ? this.guarded("attribute_exists(pk)", { ":next": lastNo + 1, ":n": part.length })
            : this.guarded("attribute_exists(pk) AND active <= :most", {
                ":next": lastNo + 1,
                ":n": part.length,
                ":most": capacity - part.length,
              })),
        },
      },
      ...part.map(
        (a): TransactItem => ({
          Update: {
            TableName: this.table,
            Key: { pk: roomPk(roomId), sk: entrySk(a.id) },
            UpdateExpression: "SET #state = :admitted, admissionNo = :no, admittedAtMs = :at, expiresAt = :expires",
            ConditionExpression: "#state = :waiting",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: {
              ":admitted": "admitted",
              ":waiting": "waiting",
              ":no": a.admissionNo,
              ":at": a.admittedAtMs,
              ":expires": this.expiresAt(a.admittedAtMs),
            },
          },
        }),
      ),
    ];
  }

  /** Undoes admissions this store wrote a moment ago (the first parts of a refused long admission). */
  private async takeBackAdmissions(roomId: string, admissions: Admission[]): Promise<void> {
    for (const part of chunks(admissions, this.maxAdmissionBatch)) {
      let pending = part;
      for (let round = 0; pending.length && round < retryAttempts; round++) {
        const reasons = await this.transact([
          {
            Update: {
              TableName: this.table,
              Key: { pk: roomPk(roomId), sk: countersSk },
              UpdateExpression: "ADD active :minus, admittedTotal :minus",
              ...this.guarded("attribute_exists(pk)", { ":minus": -pending.length }),
            },
          },
          ...pending.map(
            (a): TransactItem => ({
              Update: {
                TableName: this.table,
                Key: { pk: roomPk(roomId), sk: entrySk(a.id) },
                UpdateExpression: "SET #state = :waiting REMOVE admissionNo, admittedAtMs",
                ConditionExpression: "#state = :admitted AND admissionNo = :no",
                ExpressionAttributeNames: { "#state": "state" },
                ExpressionAttributeValues: { ":admitted": "admitted", ":waiting": "waiting", ":no": a.admissionNo },
              },
            }),
          ),
        ]);
        if (!reasons) return;
        if (reasons[0]?.Code === "ConditionalCheckFailed") {
          await this.checkFence(roomId, countersSk);
          return;
        }
        // Removed (or changed) by someone else meanwhile: theirs to count; undo the rest.
        pending = pending.filter((_, i) => reasons[i + 1]?.Code !== "ConditionalCheckFailed");
      }
    }
  }

  // --- Removals ----------------------------------------------------------------------------

  /**
   * Reads the entries' states, then deletes them in transactions of 99, each delete on
   * condition that the state is still the one read, with one counters update that lowers
   * `active` by the admitted ones and counts why: a slot is freed exactly when its entry
   * goes. An entry found changed (admitted, or removed by another node) is read again.
   */
  private async removeNow(roomId: string, removals: Removal[]): Promise<void> {
    // A removal filed twice (a retry) counts once.
    const reasons = new Map(removals.map((r) => [r.id, r.reason]));
    let states = await this.readStates(roomId, [...reasons.keys()]);
    for (let round = 0; states.size; round++) {
      if (round === retryAttempts) throw new Error(`entries in room ${roomId} kept changing during removal`);
      const changed: string[] = [];
      // One transaction at a time: they all update the room's counters.
      for (const part of chunks([...states], itemsPerTransaction - 1)) {
        for (let pending = part; pending.length; ) {
          const totals: Record<string, number> = {};
          for (const [id] of pending) {
            const total = removalTotal[reasons.get(id) ?? "expired"];
            totals[total] = (totals[total] ?? 0) + 1;
          }
          const admitted = pending.filter(([, state]) => state === "admitted").length;
          const cancelled = await this.transact([
            {
              Update: {
                TableName: this.table,
                Key: { pk: roomPk(roomId), sk: countersSk },
                UpdateExpression: `ADD ${Object.keys(totals)
                  .map((name) => `${name} :${name}`)
                  .join(", ")}, active :active`,
                ...this.guarded("attribute_exists(pk)", {
                  ...Object.fromEntries(Object.entries(totals).map(([name, value]) => [`:${name}`, value])),
                  ":active": -admitted,
                }),
              },
            },
            ...pending.map(
              ([id, state]): TransactItem => ({
                Delete: {
                  TableName: this.table,
                  Key: { pk: roomPk(roomId), sk: entrySk(id) },
                  ConditionExpression: "#state = :state",
                  ExpressionAttributeNames: { "#state": "state" },
                  ExpressionAttributeValues: { ":state": state },
                },
              }),
            ),
          ]);
          if (!cancelled) break;
          // The room is gone (its deletion sweeps the entries): nothing left to count. Or fenced.
          if (cancelled[0]?.Code === "ConditionalCheckFailed") {
            await this.checkFence(roomId, countersSk);
            return;
          }
          const moved = new Set(
            pending.filter((_, i) => cancelled[i + 1]?.Code === "ConditionalCheckFailed").map(([id]) => id),
          );
          changed.push(...moved);
          pending = pending.filter(([id]) => !moved.has(id));
        }
      }
      states = changed.length ? await this.readStates(roomId, changed) : new Map();
    }
  }

  /** Current states of these entries (strongly consistent); missing ones are left out. */
  private async readStates(roomId: string, ids: string[]): Promise<Map<string, EntryState>> {
    const states = new Map<string, EntryState>();
    await mapLimit(chunks(ids, batchGetItems), 8, async (part) => {
      let keys: Record<string, unknown>[] = part.map((id) => ({ pk: roomPk(roomId), sk: entrySk(id) }));
      for (let attempt = 1; keys.length; attempt++) {
        if (attempt > retryAttempts) throw new Error(`DynamoDB left ${keys.length} reads unprocessed`);
        if (attempt > 1) await backoff(attempt);
        const out = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: "id, #state",
                ExpressionAttributeNames: { "#state": "state" },
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          states.set(String(item.id), item.state === "admitted" ? "admitted" : "waiting");
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    });
    return states;
  }

  // --- Rooms -------------------------------------------------------------------------------

  private async createRoomNow(room: RoomConfig, keepExisting: boolean): Promise<RoomConfig> {
    const existing = await this.getRoom(room.id);
    if (existing) {
      if (keepExisting) return existing;
      throw new StoreConflictError(`room ${room.id} already exists`);
    }
    // A deletion cut short (a crash mid-sweep) may have left entries: start from an empty partition.
    await this.sweepRoomPartition(room.id);
    const sequence = await this.write(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: roomsPk, sk: sequenceSk },
        UpdateExpression: "ADD lastRoomNo :one",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    const item = {
      pk: roomsPk,
      sk: roomSk(room.id),
      id: room.id,
      ...pickRoomSettings(room),
      roomNo: Number(sequence.Attributes?.lastRoomNo),
      createdAtMs: Date.now(),
    };
    const absent = "attribute_not_exists(pk)";
    const reasons = await this.transact(
      [
        { Put: { TableName: this.table, Item: item, ConditionExpression: absent } },
        {
          Put: {
            TableName: this.table,
            Item: { pk: roomPk(room.id), sk: arrivalsSk, nextSeq: 1, arrivedTotal: 0, ...this.fenceAttribute() },
            ConditionExpression: absent,
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: {
              pk: roomPk(room.id),
              sk: countersSk,
              nextAdmission: 1,
              admittedTotal: 0,
              expiredTotal: 0,
              leftTotal: 0,
              evictedTotal: 0,
              active: 0,
              ...this.fenceAttribute(),
            },
            ConditionExpression: absent,
          },
        },
      ],
      { checkLease: true },
    );
    if (reasons) {
      // Created meanwhile by another node.
      const winner = keepExisting ? await this.getRoom(room.id) : null;
      if (winner) return winner;
      throw new StoreConflictError(`room ${room.id} already exists`);
    }
    return toRoomConfig(item, this.reportBadSetting);
  }

  private async updateRoomNow(roomId: string, patch: Partial<RoomSettings>): Promise<RoomConfig> {
    const changes = Object.entries(pickRoomSettings(patch)).filter(([, value]) => value !== undefined);
    if (!changes.length) {
      const room = await this.getRoom(roomId);
      if (!room) throw new StoreConflictError(`no room ${roomId}`);
      return room;
    }
    try {
      const out = await this.write(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: roomsPk, sk: roomSk(roomId) },
          UpdateExpression: `SET ${changes.map((_, i) => `#f${i} = :f${i}`).join(", ")}`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: Object.fromEntries(changes.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(changes.map(([, value], i) => [`:f${i}`, value])),
          ReturnValues: "ALL_NEW",
        }),
      );
      return toRoomConfig(out.Attributes ?? {}, this.reportBadSetting);
    } catch (error) {
      if (isConditionFailure(error)) throw new StoreConflictError(`no room ${roomId}`);
      throw error;
    }
  }

  /** The room and its counters go in one transaction (writes filed later fail), then its entries. */
  private async deleteRoomNow(roomId: string): Promise<void> {
    await this.transact(
      [
        { Delete: { TableName: this.table, Key: { pk: roomsPk, sk: roomSk(roomId) } } },
        { Delete: { TableName: this.table, Key: { pk: roomPk(roomId), sk: arrivalsSk } } },
        { Delete: { TableName: this.table, Key: { pk: roomPk(roomId), sk: countersSk } } },
      ],
      { checkLease: true },
    );
    await this.sweepRoomPartition(roomId);
  }

  private async getRoom(roomId: string): Promise<RoomConfig | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: roomsPk, sk: roomSk(roomId) }, ConsistentRead: true }),
    );
    return out.Item ? toRoomConfig(out.Item, this.reportBadSetting) : null;
  }

  /** Deletes every item of the room's partition, 25 per BatchWriteItem. */
  private async sweepRoomPartition(roomId: string): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": roomPk(roomId) },
          ProjectionExpression: "pk, sk",
          ConsistentRead: true,
          Limit: this.queryPageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      const keys = (page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
      await mapLimit(chunks(keys, batchWriteItems), 8, (part) => this.batchDelete(part));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  private async batchDelete(keys: Record<string, unknown>[]): Promise<void> {
    let requests = keys.map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 1; requests.length; attempt++) {
      if (attempt > retryAttempts) throw new Error(`DynamoDB left ${requests.length} deletions unprocessed`);
      if (attempt > 1) await backoff(attempt);
      const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
      requests = (out.UnprocessedItems?.[this.table] ?? []) as typeof requests;
    }
  }

  // --- Helpers -----------------------------------------------------------------------------

  private async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.table,
          ConsistentRead: true,
          Limit: this.queryPageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Runs a transaction. Returns null once committed, or the cancellation reasons (one per
   * item, in order) when a condition failed: nothing was written. Conflicts with another
   * transaction in flight and throttling are retried.
   */
  private async transact(
    items: TransactItem[],
    { checkLease = false }: { checkLease?: boolean } = {},
  ): Promise<CancellationReason[] | null> {
    const fence = checkLease ? this.fence : null;
    const fenced = fence ? [...items, this.fenceCheck(fence)] : items;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: fenced }));
        return null;
      } catch (error) {
        if (!(error instanceof Error && error.name === "TransactionCanceledException")) throw error;
        const reasons = (error as Partial<TransactionCanceledException>).CancellationReasons ?? [];
        if (fence && reasons[items.length]?.Code === "ConditionalCheckFailed") throw this.refused(fence);
        if (reasons.some((r) => r.Code === "ConditionalCheckFailed")) return reasons.slice(0, items.length);
        const transient = reasons.some((r) => r.Code && transientReasons.has(r.Code));
        if (!transient || attempt >= retryAttempts) throw error;
        await backoff(attempt);
      }
    }
  }

  /** What a room's new ARRIVALS and COUNTERS items carry while fenced. */
  private fenceAttribute(): { fenceToken?: number } {
    return this.fence ? { fenceToken: this.fence.fencingToken } : {};
  }

  private fenceCheck(fence: WriteFence): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: { pk: leasePk, sk: fence.leaseName },
        ConditionExpression: "holder = :fenceHolder AND fencingToken = :fenceToken",
        ExpressionAttributeValues: { ":fenceHolder": fence.holderId, ":fenceToken": fence.fencingToken },
      },
    };
  }

  /** A single-item write, retried while the item is held by another node's transaction. */
  private write<T extends UpdateCommand>(command: T) {
    return retryConflicts(() => this.doc.send(command));
  }

  /** A single-item put, retried the same way. */
  private put(command: PutCommand) {
    return retryConflicts(() => this.doc.send(command));
  }

  private expiresAt(fromMs: number): number {
    return Math.ceil(fromMs / 1000) + this.entryTtlSeconds;
  }
}

const transientReasons = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);

async function retryConflicts<R>(send: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const conflict = error instanceof Error && error.name === "TransactionConflictException";
      if (!conflict || attempt >= retryAttempts) throw error;
      await backoff(attempt);
    }
  }
}

function entryKey(put: EntryPut): { pk: unknown; sk: unknown } {
  return { pk: put.Item?.pk, sk: put.Item?.sk };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** The next jobs to run together: a settings change alone; otherwise everything up to the next one. */
function takeBatch(jobs: Job[]): Job[] {
  const isAlone = (job: Job) => job.kind === "task" && job.alone;
  const first = jobs[0];
  if (first && isAlone(first)) return jobs.splice(0, 1);
  let end = 1;
  while (end < jobs.length && end < maxJobsPerBatch && !isAlone(jobs[end] as Job)) end++;
  return jobs.splice(0, end);
}

/** Back-to-back removals become one (one read, fewer transactions). */
function mergeRemovals(jobs: Job[]): Job[] {
  const out: Job[] = [];
  for (const job of jobs) {
    const previous = out[out.length - 1];
    if (job.kind === "remove" && previous?.kind === "remove") {
      out[out.length - 1] = {
        kind: "remove",
        removals: previous.removals.concat(job.removals),
        done: settleBoth(previous.done, job.done),
      };
    } else out.push(job);
  }
  return out;
}

function isRoomMode(value: unknown): value is RoomMode {
  return (roomModes as readonly unknown[]).includes(value);
}

function toRoomConfig(
  item: Record<string, unknown>,
  reportBadSetting: (roomId: string, problem: string) => void,
): RoomConfig {
  const paths = item.protectedPaths;
  const report = (problem: string) => reportBadSetting(String(item.id), problem);
  return {
    id: String(item.id),
    name: String(item.name ?? ""),
    capacity: Number(item.capacity),
    heartbeatIntervalMs: Number(item.heartbeatIntervalMs),
    heartbeatTimeoutMs: Number(item.heartbeatTimeoutMs),
    maxQueueLength: Number(item.maxQueueLength),
    mode: isRoomMode(item.mode) ? item.mode : "fifo",
    protectedPaths: Array.isArray(paths) ? paths.filter((p): p is string => typeof p === "string") : [],
    // Rooms stored before the setting existed have no attribute: no limit.
    newUsersPerMinute: typeof item.newUsersPerMinute === "number" ? item.newUsersPerMinute : null,
    sessionDurationSeconds: typeof item.sessionDurationSeconds === "number" ? item.sessionDurationSeconds : null,
    sessionRenewal: item.sessionRenewal === true,
    typicalVisitSeconds: typeof item.typicalVisitSeconds === "number" ? item.typicalVisitSeconds : null,
    bypassCidrs: Array.isArray(item.bypassCidrs)
      ? item.bypassCidrs.filter((c): c is string => typeof c === "string")
      : [],
    bypassApiKeys: item.bypassApiKeys === true,
    bypassUncounted: item.bypassUncounted === true,
    challenge: item.challenge === "pow" ? "pow" : "off",
    challengeDifficulty:
      typeof item.challengeDifficulty === "number" ? item.challengeDifficulty : defaultChallengeDifficulty,
    blockedCidrs: Array.isArray(item.blockedCidrs)
      ? item.blockedCidrs.filter((c): c is string => typeof c === "string")
      : [],
    infiniteLine: item.infiniteLine === true,
    // A map item (or none, for rooms stored before branding existed), checked as SQL's JSON is.
    defaultLanguage: readStoredLanguage(item.defaultLanguage, report),
    branding: readStoredBranding(item.branding, report),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Runs `work` over the items with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
