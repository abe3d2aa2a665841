// V8 settings for the server process, made before anything else loads (the second import of
// server/main.ts, so they hold however the process was started: `npm start`, a container's
// `node`, the cluster demo; V8 refuses this one in NODE_OPTIONS).
import { executionAsyncResource } from "node:async_hooks";
import v8 from "node:v8";

// Allocation-site pretenuring off. V8 watches which object literals survive young-generation
// collections and, past 85%, allocates that site's objects straight in the old generation,
// a decision it rarely takes back. During a flood of arrivals each request lives for a group
// commit (milliseconds, several scavenges), so the sites of Node's own per-request objects
// (request, response, header lists) were tenured; afterwards every heartbeat's garbage went to
// the old generation, and a full mark-compact ran every ~230 ms. Measured with
// `npm run bench -- --only heartbeat` on Node 24: 30,749 -> 57,949 heartbeats/s, p99 18.9 ->
// 3.9 ms, and 13,304 -> 18,317 arrivals/s. Long-lived objects (the visitors) are now promoted
// by two scavenges instead, which that run includes.
v8.setFlagsFromString("--no-allocation-site-pretenuring");

// One of Node's TickObjects, kept for the life of the process. Every process.nextTick builds
// `{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, [async_context_frame]: …, callback,
// args }`. A literal with computed keys defines each property through an inline cache that
// knows only two states: one map, or "megamorphic" for good, in which state every define is a
// runtime call (~0.2 µs each, five per tick). The maps of that chain are held weakly. While the
// app loads (thousands of modules, many full collections) there are moments when no TickObject
// is alive; a full collection then frees the chain, the next tick builds new maps, the cache
// sees a second map and turns megamorphic. From then on each nextTick cost ~1 µs, and node:http
// takes several per request: 17.7% of the server's CPU in heartbeats was nextTick's own time
// (1.3% in the bare node:http server). Holding one TickObject keeps its maps, and so the
// transitions every later tick follows, alive. Measured with `npm run bench -- --only heartbeat
// --quick`, the heartbeat route answering exactly as the bare server does: 0.74 -> 0.88 of bare.
let keptTickObject: object | undefined;
process.nextTick(() => {
  keptTickObject = executionAsyncResource();
});

/** The TickObject held above (for its test). */
export function tickObjectKept(): object | undefined {
  return keptTickObject;
}
