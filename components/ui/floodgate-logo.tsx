import styles from "./ui.module.css";

/** The Floodgate mark (a sluice gate over water) with the word mark beside it. */
export function FloodgateLogo({ tagline }: { tagline?: string }) {
  return (
    <span className={styles.brand}>
      <svg className={styles.brandMark} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect x="1" y="1" width="30" height="30" rx="9" fill="currentColor" />
        <path d="M9 7v11M16 7v11M23 7v11" stroke="var(--on-accent)" strokeWidth="2.6" strokeLinecap="round" />
        <path
          d="M6 22.5c2.5 0 2.5-1.8 5-1.8s2.5 1.8 5 1.8 2.5-1.8 5-1.8 2.5 1.8 5 1.8"
          fill="none"
          stroke="var(--on-accent)"
          strokeWidth="2.2"
          strokeLinecap="round"
        />
      </svg>
      <span className={styles.brandText}>
        <span className={styles.brandName}>Floodgate</span>
        {tagline ? <span className={styles.brandTagline}>{tagline}</span> : null}
      </span>
    </span>
  );
}
