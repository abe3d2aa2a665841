import "server-only";
import type {
  AdminRoom,
  AdminRoomStats,
  AdminToken,
  AdminUser,
  AuditListResponse,
  Page,
  Role,
  SeriesRange,
  SeriesResponse,
  SessionUser,
} from "@/server/admin/admin-types";
import type { AuditEntry, AuditFilter, AuditStore } from "@/server/admin/audit-store";
import type { Notifier } from "@/server/alerts/notice";
import { AppError } from "@/server/api/errors";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import type { StoredUser, UserStore } from "@/server/auth/user-store";
import type { MetricSampler } from "@/server/metrics/sampler";
import type { QueueEngine } from "@/server/queue/engine";
import type { RoomConfig, RoomSettings, TokenInfo } from "@/server/queue/types";
import { capacitySubject } from "@/server/schedule/announcement";

// What the admin console may do, one method per action. Queue state changes go to the engine
// (which owns them); every change is written to the audit log with who, from where, and the
// values before and after. Route handlers call exactly one of these.

export type Actor = { user: SessionUser; ip: string | null };

export class AdminService {
  constructor(
    private readonly engine: QueueEngine,
    private readonly sampler: MetricSampler,
    private readonly audit: AuditStore,
    private readonly users: UserStore,
    /** Manual capacity changes are announced on the room's channel, as scheduled ones are. */
    private readonly notifier: Notifier,
    /** What else goes with a deleted room (its thresholds, channel, surge policy, open events). */
    private readonly forgetRoom: (roomId: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- rooms -------------------------------------------------------------------------------

  listRooms(): AdminRoom[] {
    return this.engine.listRoomConfigs().map((config) => this.adminRoom(config));
  }

  getRoom(roomId: string): AdminRoom {
    return this.adminRoom(this.engine.roomConfig(roomId));
  }

  roomStats(): AdminRoomStats[] {
    return this.engine.listRoomConfigs().map((config) => this.statsOf(config.id));
  }

  async createRoom(actor: Actor, config: RoomConfig): Promise<AdminRoom> {
    const created = await this.engine.createRoom(config);
    await this.record(actor, { action: "room.create", roomId: created.id, after: created });
    return this.adminRoom(created);
  }

  async updateRoom(actor: Actor, roomId: string, patch: Partial<RoomSettings>, reason?: string): Promise<AdminRoom> {
    const { before, after } = await this.engine.updateRoom(roomId, patch);
    const changed = changedFields(before, after);
    if (changed.length) {
      await this.record(actor, {
        action: changed.length === 1 && changed[0] === "capacity" ? "room.capacity" : "room.update",
        roomId,
        before: pick(before, changed),
        after: pick(after, changed),
        reason,
      });
    }
    if (before.capacity !== after.capacity) await this.announceCapacity(actor, before, after, reason);
    return this.adminRoom(after);
  }

  setCapacity(actor: Actor, roomId: string, capacity: number, reason?: string): Promise<AdminRoom> {
    return this.updateRoom(actor, roomId, { capacity }, reason);
  }

  async deleteRoom(actor: Actor, roomId: string, force: boolean): Promise<RoomConfig> {
    const stats = this.engine.roomStats(roomId);
    const deleted = await this.engine.deleteRoom(roomId, { force });
    await this.record(actor, {
      action: "room.delete",
      roomId,
      before: { ...deleted, active: stats.active, waiting: stats.waiting },
      after: null,
      reason: force ? "forced" : null,
    });
    await this.forgetRoom(roomId);
    return deleted;
  }

  // ---- tokens ------------------------------------------------------------------------------

  listTokens(
    roomId: string,
    query: { state?: "waiting" | "admitted"; search?: string; page: number; pageSize: number },
  ): Page<AdminToken> {
    const { items, total } = this.engine.listTokens(roomId, {
      state: query.state,
      search: query.search,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    const nowMs = this.now();
    return { items: items.map((t) => toAdminToken(t, nowMs)), total, page: query.page, pageSize: query.pageSize };
  }

  getToken(roomId: string, visitorId: string): AdminToken {
    const token = this.engine.tokenInfo(roomId, visitorId);
    if (!token) throw new AppError("token_not_found", `No live place in line with id "${visitorId}".`);
    return toAdminToken(token, this.now());
  }

  async evict(actor: Actor, roomId: string, visitorId: string, reason?: string): Promise<AdminToken> {
    const before = this.getToken(roomId, visitorId);
    const evicted = await this.engine.evict(roomId, visitorId);
    await this.record(actor, {
      action: "token.evict",
      roomId,
      target: visitorId,
      before: { reference: before.reference, state: before.state, position: before.position },
      after: { state: "evicted" },
      reason,
    });
    return toAdminToken(evicted, this.now());
  }

  async admitNow(actor: Actor, roomId: string, visitorId: string, reason: string): Promise<AdminToken> {
    const before = this.getToken(roomId, visitorId);
    const admitted = await this.engine.admitNow(roomId, visitorId);
    await this.record(actor, {
      action: "token.admit",
      roomId,
      target: visitorId,
      before: { reference: before.reference, state: before.state, position: before.position },
      // Admitted now, or (no free slot) moved to the front of the line: position 1.. says which.
      after: { state: admitted.state, admissionNo: admitted.admissionNo, position: admitted.position },
      reason,
    });
    return toAdminToken(admitted, this.now());
  }

  async drain(actor: Actor, roomId: string, reason?: string): Promise<{ evicted: number }> {
    const waitingBefore = this.engine.roomStats(roomId).waiting;
    const evicted = await this.engine.drain(roomId);
    await this.record(actor, {
      action: "room.drain",
      roomId,
      before: { waiting: waitingBefore },
      after: { waiting: this.engine.roomStats(roomId).waiting, evicted },
      reason,
    });
    return { evicted };
  }

  // ---- stats, audit --------------------------------------------------------------------------

  async series(roomId: string, range: SeriesRange): Promise<SeriesResponse> {
    this.engine.roomConfig(roomId);
    const { resolutionSeconds, points } = await this.sampler.series(roomId, range);
    return { room: roomId, range, resolutionSeconds, points };
  }

  listAudit(filter: AuditFilter): Promise<AuditListResponse> {
    return this.audit.list(filter);
  }

  // ---- users (admin only) --------------------------------------------------------------------

  async listUsers(): Promise<AdminUser[]> {
    return (await this.users.list()).map(publicUser);
  }

  async createUser(
    actor: Actor,
    input: { email: string; name: string; role: Role; password: string },
  ): Promise<AdminUser> {
    const created = await this.users.create({
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!created) throw new AppError("user_exists", `There is already a user with the email ${input.email}.`);
    await this.record(actor, {
      action: "user.create",
      target: created.email,
      after: { email: created.email, name: created.name, role: created.role },
    });
    return publicUser(created);
  }

  async updateUser(
    actor: Actor,
    userId: string,
    patch: { name?: string; role?: Role; disabled?: boolean; password?: string },
  ): Promise<AdminUser> {
    const before = await this.users.findById(userId);
    if (!before) throw new AppError("user_not_found", "No such user.");
    const losesAdmin =
      before.role === "admin" && !before.disabled && (patch.disabled || (patch.role && patch.role !== "admin"));
    if (losesAdmin && (await this.users.countActiveAdmins()) <= 1) {
      throw new AppError("conflict", "This is the last active admin: make someone else admin first.");
    }
    const { password, ...rest } = patch;
    const updated = await this.users.update(userId, {
      ...rest,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
    });
    if (!updated) throw new AppError("user_not_found", "No such user.");
    const fields = (["name", "role", "disabled"] as const).filter(
      (k) => rest[k] !== undefined && rest[k] !== before[k],
    );
    await this.record(actor, {
      action: "user.update",
      target: updated.email,
      before: { ...pick(before, fields), ...(password ? { password: "(old)" } : {}) },
      after: { ...pick(updated, fields), ...(password ? { password: "(changed)" } : {}) },
    });
    return publicUser(updated);
  }

  /** Anyone signed in may change their own password, knowing the current one. */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const me = await this.users.findById(actor.user.id);
    if (!me || me.disabled) throw new AppError("unauthorized", "Sign in again.");
    if (!(await verifyPassword(currentPassword, me.passwordHash))) {
      throw new AppError("validation_failed", "The current password is not right.");
    }
    if (currentPassword === newPassword) {
      throw new AppError("validation_failed", "The new password must differ from the current one.");
    }
    await this.users.update(me.id, { passwordHash: await hashPassword(newPassword) });
    await this.record(actor, { action: "user.password", target: me.email, after: { password: "(changed)" } });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async announceCapacity(actor: Actor, before: RoomConfig, after: RoomConfig, reason?: string) {
    const effective = this.engine.effectiveCapacity(after.id);
    const raised =
      effective !== after.capacity ? ` Effective capacity stays ${effective} while a scale event or surge runs.` : "";
    const subject = capacitySubject(after.id, before.capacity, after.capacity);
    await this.notifier.notify({
      roomId: after.id,
      kind: "scale",
      subject,
      message: `${subject} — base capacity set by ${actor.user.email}${reason ? ` (“${reason}”)` : ""}.${raised}`,
    });
  }

  private adminRoom(config: RoomConfig): AdminRoom {
    return { ...config, stats: this.statsOf(config.id) };
  }

  private statsOf(roomId: string): AdminRoomStats {
    const stats = this.engine.roomStats(roomId);
    // The latest sample's figures: the same numbers as the right end of the room's charts.
    const latest = this.sampler.latestPoint(roomId);
    return {
      ...stats,
      expiredPerMinute: latest?.expiredPerMinute ?? 0,
      medianWaitSeconds: latest?.medianWaitSeconds ?? null,
      p95WaitSeconds: latest?.p95WaitSeconds ?? null,
      etaSecondsForNewcomer: this.engine.roomSummary(roomId)?.etaSeconds ?? null,
    };
  }

  private record(actor: Actor, entry: AuditEntry): Promise<void> {
    return this.audit.recordBy(actor, entry);
  }
}

function toAdminToken(token: TokenInfo, nowMs: number): AdminToken {
  return {
    id: token.id,
    room: token.room,
    seq: token.seq,
    reference: token.reference,
    bypassed: token.bypassed,
    state: token.state,
    position: token.position,
    enteredAt: new Date(token.enteredAtMs).toISOString(),
    admittedAt: token.admittedAtMs === null ? null : new Date(token.admittedAtMs).toISOString(),
    admissionNo: token.admissionNo,
    expiresAt: new Date(token.deadlineMs).toISOString(),
    leaving: token.leaving,
    waitedSeconds: Math.max(0, Math.round(((token.admittedAtMs ?? nowMs) - token.enteredAtMs) / 1000)),
  };
}

function publicUser(user: StoredUser): AdminUser {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

function changedFields(before: RoomConfig, after: RoomConfig): (keyof RoomConfig)[] {
  return (Object.keys(after) as (keyof RoomConfig)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) out[key] = value[key];
  return out;
}
