import "/work/main/server/server-only-hook";
import { RoomState, type Visitor } from "/work/main/server/queue/room-state";

const now = Date.now();
const cfg = {
  id: "default",
  name: "d",
  capacity: 0,
  heartbeatIntervalMs: 5000,
  heartbeatTimeoutMs: 120000,
  maxQueueLength: 1e6,
  mode: "fifo" as const,
  protectedPaths: [],
};
const room = new RoomState(
  cfg,
  {
    nextSeq: 1,
    nextAdmission: 1,
    arrivedTotal: 0,
    admittedTotal: 0,
    expiredTotal: 0,
    leftTotal: 0,
    active: 0,
  } as never,
  now,
  300000,
  100,
);
const vs: Visitor[] = [];
for (let i = 1; i <= 100000; i++) {
  const v = {
    id: String(i),
    seq: i,
    state: "waiting",
    lastSeenMs: now,
    deadlineMs: now + 1e5,
    bucket: 0,
    gone: false,
    initialAhead: i - 1,
    admittedAtMs: null,
    admissionNo: null,
    signature: null,
    leaving: false,
  } as Visitor;
  vs.push(v);
  room.line.insert(i, v);
}
for (const cap of [0, 1000]) {
  room.config = { ...cfg, capacity: cap };
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 200000; i++) x += room.statusOf(vs[(i * 7919) % 100000] as Visitor, Date.now()).waiting;
    const el = performance.now() - t;
    console.log(`cap ${cap}: ${((el * 1000) / 200000).toFixed(2)} us/call`, x > 0);
  }
}
const t = performance.now();
for (let i = 0; i < 200000; i++) room.line.position(((i * 7919) % 100000) + 1);
console.log("position", (((performance.now() - t) * 1000) / 200000).toFixed(3), "us");
const t2 = performance.now();
for (let i = 0; i < 200000; i++) room.admissions.total(Date.now());
console.log("admissions.total", (((performance.now() - t2) * 1000) / 200000).toFixed(3), "us");
const t3 = performance.now();
for (let i = 0; i < 200000; i++) room.outflow.perSecond(Date.now());
console.log("outflow.perSecond", (((performance.now() - t3) * 1000) / 200000).toFixed(3), "us");
function bench(label: string) {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 200000; i++) x += room.statusOf(vs[(i * 7919) % 100000] as Visitor, Date.now()).waiting;
  console.log(label, (((performance.now() - t) * 1000) / 200000).toFixed(2), "us", x > 0);
}
room.config = { ...cfg, capacity: 0 };
bench("baseline");
const origPos = room.line.position.bind(room.line);
(room.line as unknown as { position: (s: number) => number }).position = () => 5;
bench("no position");
(room.line as unknown as { position: (s: number) => number }).position = origPos;
(room.admissions as unknown as { total: (n: number) => number }).total = () => 0;
bench("no admissions.total");
(room.admissions as unknown as { total: (n: number) => number }).total = (n: number) => 0 * n;
function statusCopy(this: RoomState, visitor: Visitor, nowMs: number, variant: number) {
  const base = {
    room: this.config.id,
    waiting: this.line.length,
    admissionsPerMinute: this.admissions.total(nowMs),
    heartbeatIntervalMs: this.config.heartbeatIntervalMs,
    heartbeatTimeoutMs: this.config.heartbeatTimeoutMs,
  };
  const position = this.line.position(visitor.seq);
  const state = this.config.mode === "closed" ? "closed" : this.config.capacity === 0 ? "paused" : "waiting";
  if (variant === 1)
    return {
      room: base.room,
      waiting: base.waiting,
      admissionsPerMinute: base.admissionsPerMinute,
      heartbeatIntervalMs: base.heartbeatIntervalMs,
      heartbeatTimeoutMs: base.heartbeatTimeoutMs,
      state,
      position,
      ahead: position - 1,
      progress: Math.min(1, Math.max(0, 1 - position / (visitor.initialAhead + 1))),
      etaSeconds: this.etaSeconds(position, nowMs),
      admittedAt: null,
    };
  return {
    ...base,
    state,
    position,
    ahead: position - 1,
    progress: Math.min(1, Math.max(0, 1 - position / (visitor.initialAhead + 1))),
    etaSeconds: this.etaSeconds(position, nowMs),
    admittedAt: null,
  };
}
for (const variant of [0, 1, 0, 1]) {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 200000; i++)
    x += statusCopy.call(room, vs[(i * 7919) % 100000] as Visitor, Date.now(), variant).waiting;
  console.log(`copy variant ${variant}`, (((performance.now() - t) * 1000) / 200000).toFixed(2), "us", x > 0);
}
