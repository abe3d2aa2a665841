"use client";

import type { AdminRoom } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { formatCount } from "../common/format";

// The room's bot defence at a glance: who is in the infinite line now and why people were sent
// there, and how the proof-of-work challenge is going. Counted since this server started.

export function BotDefencePanel({ room }: { room: AdminRoom }) {
  const { infiniteLine, challenges } = room.stats;
  const sent = infiniteLine.blocked + infiniteLine.rate_limited + infiniteLine.challenge_failed;
  const inUse = room.challenge === "pow" || room.infiniteLine || room.blockedCidrs.length > 0;
  if (!inUse && sent === 0 && challenges.issued === 0) return null;
  return (
    <section className={styles.panel} aria-labelledby="bot-defence-title" data-testid="bot-defence">
      <h2 id="bot-defence-title" className={styles.panelTitle}>
        Bot defence
      </h2>
      <p className={`${styles.small} ${styles.muted}`}>
        {room.challenge === "pow"
          ? `Proof of work on, up to ${formatCount(room.challengeDifficulty)} tries per place.`
          : "No challenge."}{" "}
        {room.infiniteLine ? "Suspicious arrivals go to the infinite line." : "Suspicious arrivals are refused."}{" "}
        Counted since the server started.
      </p>
      <dl className={styles.facts}>
        <dt>In the infinite line now</dt>
        <dd data-testid="infinite-line-held" data-value={infiniteLine.held}>
          {formatCount(infiniteLine.held)}
        </dd>
        <dt>Sent there</dt>
        <dd data-testid="infinite-line-sent" data-value={sent}>
          {formatCount(sent)}: {formatCount(infiniteLine.blocked)} blocked address
          {infiniteLine.blocked === 1 ? "" : "es"}, {formatCount(infiniteLine.rate_limited)} over the per-address limit,{" "}
          {formatCount(infiniteLine.challenge_failed)} forged answer{infiniteLine.challenge_failed === 1 ? "" : "s"}
        </dd>
        {room.challenge === "pow" || challenges.issued > 0 ? (
          <>
            <dt>Challenges</dt>
            <dd data-testid="challenges" data-value={challenges.solved}>
              {formatCount(challenges.issued)} issued, {formatCount(challenges.solved)} solved,{" "}
              {formatCount(challenges.stale)} expired or reused, {formatCount(challenges.forged)} forged
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
