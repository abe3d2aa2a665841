// The shape of everything the waiting page says. Every language's dictionary satisfies this
// one type, so a missing sentence is a compile error rather than a blank on the page.
import type { EtaDisplay } from "../format-eta";
import type { DisplayState } from "../queue-view";

type StateCopy = { heading: string; body: string };

export type WaitingMessages = {
  /** For Intl (numbers, percentages, times): "ja-JP", "zh-TW", "fr-FR"… */
  locale: string;
  documentTitle: string;
  tabTitleInLine: (position: string) => string;
  tagline: string;
  states: Record<DisplayState, StateCopy>;
  closedWithoutPlaceBody: string;
  labels: { position: string; ahead: string; eta: string; progress: string; waitingNow: string; startsAt: string };
  /** When a pre-queue's order is drawn: the local time, and how far off it is ("in 4 min"). */
  startsAt: (time: string, inMinutes: number) => string;
  /** Around the big place number: "第" + 3 + "位" in Chinese, 3 + "번째" in Korean, nothing in English. */
  positionPrefix: string;
  positionSuffix: string;
  aheadUnit: (count: number) => string;
  /** Between a number and its unit: "30 people" but "30명" (and a no-break space in French). */
  unitGap: string;
  eta: (eta: EtaDisplay) => string;
  etaNotEnoughData: string;
  etaOnHold: string;
  admissionsPerMinute: (count: string) => string;
  /** `percent` is already formatted for the locale, sign included ("67%", "67 %"). */
  progressText: (percent: string) => string;
  /** The countdown before a refused newcomer's next try ("Trying again in 12 s"). */
  retryIn: (seconds: number) => string;
  /** While that try is on its way. */
  retrying: string;
  /** The button that tries at once instead of waiting out the countdown. */
  tryNow: string;
  reconnecting: string;
  live: string;
  noRefreshNeeded: string;
  newPlace: string;
  continueLink: string;
  /** The place's reference code, for support: label, why it is there, the copy button. */
  reference: { label: string; hint: string; copy: string; copied: string };
  /** The proof-of-work step before a place is given (rooms with `challenge: pow`). */
  challenge: {
    heading: string;
    body: string;
    failed: string;
    retry: string;
    /** Without JavaScript the check cannot run: what the visitor must do. */
    noscript: string;
  };
  announcePosition: (position: string) => string;
  /** Ends a heading read out before another sentence: "." or "。". */
  fullStop: string;
  noscript: string;
  footer: string;
  languageLabel: string;
};
