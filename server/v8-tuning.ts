// V8 settings for the server process, made before anything else loads (the second import of
// server/main.ts, so they hold however the process was started: `npm start`, a container's
// `node`, the cluster demo; V8 refuses this one in NODE_OPTIONS).
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
