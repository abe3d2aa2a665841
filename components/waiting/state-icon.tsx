import type { DisplayState } from "./queue-view";
import { STATE_ICON_PATHS as PATHS } from "./state-icon-paths";

export function StateIcon({ state, className }: { state: DisplayState; className?: string }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[state]} />
    </svg>
  );
}
