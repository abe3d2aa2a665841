import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAppError } from "@/server/api/errors";
import type { ClusterRole, ClusterStatus } from "@/server/cluster/cluster-status";
import { engineCallsRequestSchema, runEngineCalls } from "@/server/cluster/engine-calls";
import { callsPath, clusterAuthHeader, RemoteEngine, roomsPath } from "@/server/cluster/remote-engine";
import { readBody, sendJson } from "@/server/gate/http";
import type { Logger } from "@/server/log";
import type { QueueEngine } from "@/server/queue/engine";
import { LeaseKeeper, type LeaseStore } from "@/server/store/dynamodb-lease";
import type { StoreFencedError, WriteFence } from "@/server/store/dynamodb-store";

// One node of a cluster (server/cluster/README.md). Every node tries to hold one lease, the
// cluster lease; the node holding it is the leader: it loads the rooms, runs the engine and all
// background work, and answers the other nodes' forwarded engine calls. A node that is not
// the leader forwards. Leadership moves when the leader dies (its lease runs out) or stops
// (it releases the lease); writes are fenced with the lease, so a leader that lost it without
// knowing cannot change queue state any more.

export const clusterLeaseName = "CLUSTER";
/** Bodies of forwarded calls: 1,000 calls of well under 1 KB each. */
const maxCallsBodyBytes = 2 * 1024 * 1024;

export type ClusterNodeOptions = {
  nodeUrl: string;
  secret: string;
  leaseTtlMs: number;
  lease: LeaseStore;
  engine: QueueEngine;
  /**
   * The queue store's fence: claims the rooms for this lease, then every queue write requires
   * it. Rejects when a newer holder has claimed them already.
   */
  setFence(fence: WriteFence, onFenced: (error: StoreFencedError) => void): Promise<void>;
  /** Load the rooms and start the background work (this node now leads). Throwing gives the lease back. */
  lead(): Promise<void>;
  /** Stop the background work and forget the rooms (another node leads now). */
  follow(): Promise<void>;
  logger: Logger;
  clock?: () => number;
};

export class ClusterNode {
  /** `${nodeUrl}#${boot id}`: a restarted process is a new holder, even on the same address. */
  readonly nodeId: string;
  readonly remote: RemoteEngine;
  private readonly keeper: LeaseKeeper;
  private readonly now: () => number;
  private readonly secret: Buffer;
  private role: ClusterRole = "electing";
  private sinceMs: number;
  /** Becoming leader and stepping down run one at a time, in order. */
  private transitions: Promise<void> = Promise.resolve();
  /** A leader that stopped answering; not forwarded to until the lease says otherwise. */
  private unreachableLeader: { url: string; untilMs: number } | null = null;
  private summaryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ClusterNodeOptions) {
    this.now = options.clock ?? Date.now;
    this.sinceMs = this.now();
    this.nodeId = `${options.nodeUrl.replace(/\/$/, "")}#${randomBytes(6).toString("hex")}`;
    this.secret = Buffer.from(options.secret);
    this.keeper = new LeaseKeeper({
      lease: options.lease,
      name: clusterLeaseName,
      holderId: this.nodeId,
      ttlMs: options.leaseTtlMs,
      clock: this.now,
      logger: options.logger,
      onAcquired: (fencingToken) => this.transition(() => this.becomeLeader(fencingToken)),
      onLost: (reason) => this.transition(() => this.stepDown(reason)),
    });
    this.remote = new RemoteEngine({
      leaderUrl: () => this.leaderUrl(),
      secret: options.secret,
      logger: options.logger,
      onLeaderUnreachable: (url) => {
        // Until the lease changes hands or the holder renews, try again only every few seconds.
        this.unreachableLeader = { url, untilMs: this.now() + Math.floor(options.leaseTtlMs / 3) };
      },
    });
  }

  /** Starts contending for the lease; resolves after the first attempt (leading or not). */
  async start(): Promise<void> {
    await this.keeper.start();
    await this.transitions;
    if (this.role === "electing" && this.leaderUrl()) this.setRole("follower");
    this.summaryTimer = setInterval(() => void this.refresh(), 1_000);
    this.summaryTimer.unref();
    void this.refresh();
  }

  /** Steps down and releases the lease, so another node takes over at once. */
  async stop(): Promise<void> {
    if (this.summaryTimer) clearInterval(this.summaryTimer);
    await this.keeper.stop();
    await this.transitions;
    this.remote.close();
  }

  /** True while this node leads and has its rooms loaded: it serves everything itself. */
  isLeading(): boolean {
    return this.role === "leader" && this.keeper.isHolder();
  }

  /** Base URL of the node that runs the rooms (this one's while leading); null while none is known. */
  leaderUrl(): string | null {
    if (this.isLeading()) return this.options.nodeUrl;
    const seen = this.keeper.holder();
    if (!seen?.holder || seen.expiresAtMs < this.now() || seen.holder === this.nodeId) return null;
    const url = seen.holder.slice(0, seen.holder.lastIndexOf("#"));
    if (this.unreachableLeader?.url === url && this.now() < this.unreachableLeader.untilMs) return null;
    return url;
  }

  status(): ClusterStatus {
    return {
      role: this.role,
      nodeId: this.nodeId,
      leaderUrl: this.leaderUrl(),
      fencingToken: this.isLeading() ? this.keeper.fencingToken() : null,
      sinceMs: this.sinceMs,
    };
  }

  /** True when a request carries the cluster's secret (another node's). */
  isFromNode(req: IncomingMessage): boolean {
    const presented = req.headers[clusterAuthHeader];
    if (typeof presented !== "string") return false;
    const given = Buffer.from(presented);
    return given.length === this.secret.length && timingSafeEqual(given, this.secret);
  }

  /** Answers the node-to-node endpoints; false for any other request. */
  handleInternal(req: IncomingMessage, res: ServerResponse): boolean {
    const path = req.url?.split("?")[0];
    if (path !== callsPath && path !== roomsPath) return false;
    void this.serveInternal(req, res, path);
    return true;
  }

  private async serveInternal(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.isFromNode(req)) {
      req.resume();
      sendJson(res, 401, { error: { code: "unauthorized", message: "Node-to-node calls need the cluster secret." } });
      return;
    }
    if (!this.isLeading()) {
      req.resume();
      sendJson(res, 503, { error: { code: "unavailable", message: `Not the leader (${this.role}).` } });
      return;
    }
    const { engine, logger } = this.options;
    if (path === roomsPath) {
      const rooms = engine.roomIds().flatMap((id) => engine.roomSummary(id) ?? []);
      sendJson(res, 200, { rooms });
      return;
    }
    try {
      const raw = await readBody(req, maxCallsBodyBytes);
      const parsed = engineCallsRequestSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        sendJson(res, 400, {
          error: { code: "invalid_body", message: parsed.error.issues[0]?.message ?? "bad calls" },
        });
        return;
      }
      sendJson(res, 200, { results: await runEngineCalls(engine, parsed.data.calls, logger) });
    } catch (error) {
      logger.warn({ err: error }, "forwarded calls refused");
      if (res.headersSent) return;
      // Too large (413) keeps its own answer; anything else is a body that is not JSON.
      if (isAppError(error)) sendJson(res, error.status, error.toBody());
      else sendJson(res, 400, { error: { code: "invalid_body", message: "Unreadable calls." } });
    }
  }

  private transition(step: () => Promise<void>): void {
    this.transitions = this.transitions.then(step).catch((error: unknown) => {
      this.options.logger.error({ err: error }, "cluster role change failed");
    });
  }

  private async becomeLeader(fencingToken: number): Promise<void> {
    const { logger } = this.options;
    this.setRole("electing");
    try {
      // The claim comes before the load: what is loaded then cannot change behind our back.
      await this.options.setFence({ leaseName: clusterLeaseName, holderId: this.nodeId, fencingToken }, (error) => {
        logger.error({ err: error }, "a queue write was refused: another node leads now; stepping down");
        this.keeper.relinquish();
      });
      await this.options.lead();
    } catch (error) {
      logger.error({ err: error }, "could not take over the rooms; giving the lease back");
      this.keeper.relinquish();
      return;
    }
    // Lost again while loading: onLost has queued the step-down behind this.
    if (!this.keeper.isHolder()) return;
    this.unreachableLeader = null;
    this.setRole("leader");
    logger.info({ nodeId: this.nodeId, fencingToken }, "this node leads the cluster: rooms loaded");
  }

  private async stepDown(reason: string): Promise<void> {
    const wasLeading = this.role === "leader";
    this.setRole(this.leaderUrl() ? "follower" : "electing");
    await this.options.follow();
    if (wasLeading) this.options.logger.warn({ nodeId: this.nodeId, reason }, "this node no longer leads the cluster");
  }

  private setRole(role: ClusterRole): void {
    if (this.role === role) return;
    this.role = role;
    this.sinceMs = this.now();
  }

  /** Follows who leads, and keeps the room summaries a follower answers from. */
  private async refresh(): Promise<void> {
    if (this.role !== "leader") this.setRole(this.leaderUrl() ? "follower" : "electing");
    if (this.role !== "follower") return;
    await this.remote.refreshSummaries().catch((error: unknown) => {
      this.options.logger.debug({ err: error }, "room summaries not refreshed");
    });
  }
}
