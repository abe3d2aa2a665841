import type { OriginReport } from "@/bench/origin";
import type { Check } from "@/bench/report";
import { table } from "@/bench/table";

// The origin census's checks, table and summary line (see bench/origin.ts).

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : n.toLocaleString("en-US"));

export function originChecks(o: OriginReport | null): Check[] {
  if (!o) return [];
  const capacity = o.settings.capacity;
  return [
    {
      name: "origin: distinct admissions /shop accepted at one moment",
      value: `${fmt(o.origin.maxConcurrent)} (${fmt(o.origin.admissionsAccepted)} admissions, ${fmt(o.probes.total)} requests)`,
      goal: `≤ ${fmt(capacity)}`,
      pass: o.origin.maxConcurrent <= capacity && o.origin.admissionsAccepted > 0,
      correctness: true,
    },
    {
      name: "origin: admitted visitors let in while their session lasted",
      value: `${fmt(o.origin.admissionsAccepted)} of ${fmt(o.browsed)} who tried; ${fmt(o.refusedWhileInside)} requests refused meanwhile`,
      goal: "all, 0 refused",
      pass: o.origin.admissionsAccepted === o.browsed && o.refusedWhileInside === 0,
      correctness: true,
    },
    {
      name: "origin: departed visitors let in once their slot was released",
      value: `${fmt(o.afterDeparture.accepted)} of ${fmt(o.afterDeparture.probes)} tries; ${o.origin.resurrected.length} admissions accepted again after a refusal`,
      goal: "0 (of some tries)",
      pass: o.afterDeparture.accepted === 0 && o.afterDeparture.probes > 0 && o.origin.resurrected.length === 0,
      correctness: true,
    },
    {
      name: "origin: answers other than 200 or 307 to the waiting page",
      value: fmt(o.probes.other),
      goal: "0",
      pass: o.probes.other === 0,
      correctness: true,
    },
    {
      name: "origin: admissions a JWKS verifier accepts, of visitors not known gone",
      value: `${fmt(o.jwks.maxHeldConcurrent)} (${fmt(o.jwks.maxConcurrent)} with the gone; ${fmt(o.jwks.verified)} verified, ${fmt(o.jwks.refused)} refused)`,
      goal: `≤ ${fmt(capacity)}; the gone: each ≤ one token lifetime (${fmt(o.jwks.tokenLifetimeMs)} ms) after its last heartbeat`,
      pass:
        o.jwks.maxHeldConcurrent <= capacity &&
        o.jwks.longestAfterLastTokenMs <= o.jwks.tokenLifetimeMs &&
        o.jwks.verified > 0 &&
        o.jwks.refused === 0,
      correctness: true,
    },
  ];
}

export function renderOrigin(o: OriginReport): string {
  const s = o.settings;
  return table(
    `Origin census (capacity ${s.capacity}, ${s.arrivals} arrivals over ${s.arrivalWindowMs / 1000} s, /shop every ` +
      `${s.probeEveryMs} ms per admission, heartbeat ${s.heartbeatIntervalMs} ms / timeout ${s.heartbeatTimeoutMs} ms, leave grace ${s.leaveGraceMs} ms)`,
    [
      ["", "value"],
      ["admitted / left / went silent", `${fmt(o.admitted)} / ${fmt(o.departed.left)} / ${fmt(o.departed.silent)}`],
      [
        "requests to /shop: accepted / refused / other",
        `${fmt(o.probes.accepted)} / ${fmt(o.probes.refused)} / ${fmt(o.probes.other)}`,
      ],
      ["most admissions accepted at one moment (origin)", fmt(o.origin.maxConcurrent)],
      [
        "tries after the slot was released: accepted",
        `${fmt(o.afterDeparture.accepted)} of ${fmt(o.afterDeparture.probes)}`,
      ],
      [
        "JWKS verifier: most at once (all / not known gone)",
        `${fmt(o.jwks.maxConcurrent)} / ${fmt(o.jwks.maxHeldConcurrent)}; longest after last heartbeat ${fmt(o.jwks.longestAfterLastTokenMs)} ms`,
      ],
    ],
  );
}

export function originSummaryLines(o: OriginReport | null): string[] {
  if (!o) return [];
  return [
    `- origin census: at most ${fmt(o.origin.maxConcurrent)} admissions accepted by /shop at once (capacity ${fmt(o.settings.capacity)}), ` +
      `${fmt(o.afterDeparture.accepted)} of ${fmt(o.afterDeparture.probes)} tries after release accepted; JWKS at most ` +
      `${fmt(o.jwks.maxConcurrent)} at once (${fmt(o.jwks.maxHeldConcurrent)} not known gone)`,
  ];
}
