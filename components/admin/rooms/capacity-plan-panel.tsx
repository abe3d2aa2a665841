"use client";

import { useCapacityPlan } from "@/components/queries/use-capacity-plan";
import { useSurgePolicy } from "@/components/queries/use-surge-policy";
import type { AdminRoom, CapacityPlanResponse, CapacitySource } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { formatCount, formatWhen } from "../common/format";
import { QueryState } from "../common/query-state";
import { LiveStamp, StaleBanner } from "../common/stale-banner";
import { SurgePolicyEditor } from "../events/surge-policy-editor";
import { SurgeStatus } from "../events/surge-status";
import capacityStyles from "./capacity.module.css";
import { applyingSource, capacitySummary, describeSource } from "./capacity-plan";

function sourceKey(source: CapacitySource): string {
  if (source.kind === "event") return `event-${source.eventId}`;
  if (source.kind === "surge") return `surge-${source.surgeId}`;
  return "base";
}

function PlanFacts({ plan }: { plan: CapacityPlanResponse }) {
  const top = applyingSource(plan);
  const raising = plan.sources.filter((source) => source.kind !== "base");
  return (
    <div className={capacityStyles.block} data-testid="capacity-plan">
      <p className={capacityStyles.headline}>
        <span className={capacityStyles.effective} data-testid="effective-capacity" data-value={plan.effectiveCapacity}>
          {formatCount(plan.effectiveCapacity)}
        </span>
        <span className={styles.badge} data-tone={top ? "accent" : undefined}>
          {top ? `raised by ${top.kind}` : "base"}
        </span>
      </p>
      <p className={capacityStyles.summary}>{capacitySummary(plan, (iso) => formatWhen(iso))}.</p>
      {/* One source is said by the summary; several are listed, highest first. */}
      {raising.length > 1 ? (
        <ul className={capacityStyles.sources} aria-label="What raises capacity now">
          {raising.map((source) => (
            <li key={sourceKey(source)}>
              <span className={capacityStyles.sourceCapacity}>{formatCount(source.capacity)}</span>
              <span>
                {describeSource(source, (iso) => formatWhen(iso))}{" "}
                {source === top ? (
                  <span className={styles.badge} data-tone="ok">
                    applies
                  </span>
                ) : null}
              </span>
            </li>
          ))}
          <li>
            <span className={capacityStyles.sourceCapacity}>{formatCount(plan.baseCapacity)}</span>
            <span className={styles.muted}>base capacity (the control above changes it)</span>
          </li>
        </ul>
      ) : null}
      {plan.preQueue ? (
        <p className={styles.small} data-testid="prequeue-status">
          <span className={styles.badge} data-tone="warn">
            Pre-queue open
          </span>{" "}
          {formatCount(plan.preQueue.waiting)} waiting since {formatWhen(plan.preQueue.opensAt)}; shuffled into line at{" "}
          {formatWhen(plan.preQueue.startsAt)}.
        </p>
      ) : null}
    </div>
  );
}

// What the room admits up to now and why: its base, any event in its lead or running phase,
// a surge. The highest applies; ending one restores the highest of what remains.
export function CapacityPlanPanel({ room }: { room: AdminRoom }) {
  const plan = useCapacityPlan(room.id);
  const policy = useSurgePolicy(room.id);
  return (
    <section className={styles.panel} aria-labelledby="capacity-plan-title">
      <div className={styles.panelHeader}>
        <h2 id="capacity-plan-title" className={styles.panelTitle}>
          Capacity now
        </h2>
        <LiveStamp query={plan} />
      </div>
      <StaleBanner queries={[plan, policy]} />
      <div className={capacityStyles.split}>
        <div className={capacityStyles.block}>
          {plan.data ? (
            <>
              <PlanFacts plan={plan.data} />
              <SurgeStatus room={room} plan={plan.data} />
            </>
          ) : (
            <QueryState what="the capacity plan" isPending={plan.isPending} error={plan.error} onRetry={plan.refetch} />
          )}
        </div>
        {policy.data ? (
          // Typed values stay while polling; someone else's change shows after a reload.
          <SurgePolicyEditor key={room.id} room={room} policy={policy.data.policy} />
        ) : (
          <QueryState
            what="the surge policy"
            isPending={policy.isPending}
            error={policy.error}
            onRetry={policy.refetch}
          />
        )}
      </div>
    </section>
  );
}
