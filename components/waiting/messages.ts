// Everything the waiting page says, in English and Korean. Both dictionaries satisfy one
// type, so a missing sentence is a compile error rather than a blank on the page.
import type { EtaDisplay } from "./format-eta";
import type { Lang } from "./negotiate-language";
import type { DisplayState } from "./queue-view";

type StateCopy = { heading: string; body: string };

export type WaitingMessages = {
  locale: string;
  documentTitle: string;
  tabTitleInLine: (position: string) => string;
  tagline: string;
  states: Record<DisplayState, StateCopy>;
  closedWithoutPlaceBody: string;
  labels: { position: string; ahead: string; eta: string; progress: string; waitingNow: string; startsAt: string };
  /** When a pre-queue's order is drawn: the local time, and how far off it is ("in 4 min"). */
  startsAt: (time: string, inMinutes: number) => string;
  positionSuffix: string;
  aheadUnit: (count: number) => string;
  /** Between a number and its unit: "30 people" but "30명". */
  unitGap: string;
  eta: (eta: EtaDisplay) => string;
  etaNotEnoughData: string;
  etaOnHold: string;
  admissionsPerMinute: (count: string) => string;
  progressText: (percent: string) => string;
  retryIn: (seconds: number) => string;
  reconnecting: string;
  live: string;
  noRefreshNeeded: string;
  newPlace: string;
  continueLink: string;
  /** The place's reference code, for support: label, why it is there, the copy button. */
  reference: { label: string; hint: string; copy: string; copied: string };
  /** The proof-of-work step before a place is given (rooms with `challenge: pow`). */
  challenge: { heading: string; body: string; failed: string; retry: string };
  announcePosition: (position: string) => string;
  noscript: string;
  footer: string;
  languageLabel: string;
};

const en: WaitingMessages = {
  locale: "en-US",
  documentTitle: "Waiting room",
  tabTitleInLine: (position) => `#${position} in line`,
  tagline: "Virtual waiting room",
  states: {
    joining: { heading: "Getting you a place in line…", body: "This only takes a moment." },
    full: {
      heading: "The waiting room is full",
      body: "So many people are waiting that no one else can join right now. This page will try again by itself.",
    },
    waiting: {
      heading: "You're in line",
      body: "Keep this page open. When it's your turn, we'll take you in automatically.",
    },
    next: { heading: "You're next", body: "Get ready: you'll be taken in any moment now. Keep this page open." },
    paused: {
      heading: "Admission is paused",
      body: "The site has stopped letting people in for a moment. You keep your place in line, and things will move again when admission resumes.",
    },
    closed: {
      heading: "The room is closed",
      body: "Nobody is being let in right now. You keep your place in line, and this page will update by itself if the room reopens.",
    },
    prequeue: {
      heading: "You're in before the start",
      body: "Everyone who arrives before the start gets a place in line drawn at random when it begins, so arriving earlier or refreshing won't change your chances. Keep this page open.",
    },
    admitted: { heading: "It's your turn", body: "Taking you in…" },
    expired: {
      heading: "Your place expired",
      body: "This page was closed or lost its connection for too long, so your place in line was released. You can join the line again.",
    },
    ended: {
      heading: "Your time is up",
      body: "Visits to this site are limited in time so that everyone in line gets a turn. You can join the line again.",
    },
    lost: {
      heading: "Sorry, we lost your place",
      body: "The waiting room had a problem on our side and couldn't keep your place while this page was reconnecting. This wasn't caused by anything you did. You can join the line again.",
    },
  },
  closedWithoutPlaceBody: "The waiting room isn't taking anyone new right now. This page will try again by itself.",
  labels: {
    position: "Your place in line",
    ahead: "Ahead of you",
    eta: "Estimated wait",
    progress: "Progress",
    waitingNow: "People waiting now",
    startsAt: "Order drawn at",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}, any moment now` : `${time}, in ${inMinutes} min`),
  positionSuffix: "",
  aheadUnit: (count) => (count === 1 ? "person" : "people"),
  unitGap: " ",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "Estimating…";
      case "under-minute":
        return "Less than a minute";
      case "minutes":
        return eta.minutes === 1 ? "About 1 minute" : `About ${eta.minutes} minutes`;
      case "hours":
        if (eta.minutes > 0) return `About ${eta.hours} h ${eta.minutes} min`;
        return eta.hours === 1 ? "About 1 hour" : `About ${eta.hours} hours`;
    }
  },
  etaNotEnoughData: "Not enough data yet",
  etaOnHold: "On hold",
  admissionsPerMinute: (count) => `Admissions per minute: ${count}`,
  progressText: (percent) => `${percent}% of the line ahead of you has gone in`,
  retryIn: (seconds) => `Trying again in ${seconds} s.`,
  reconnecting: "Connection lost. Reconnecting… Your place is kept for now.",
  live: "Updating live",
  noRefreshNeeded: "No need to refresh: this page updates by itself.",
  newPlace: "Get a new place",
  continueLink: "Not moving? Continue to the site",
  reference: {
    label: "Reference",
    hint: "Quote this if you contact support.",
    copy: "Copy",
    copied: "Copied",
  },
  challenge: {
    heading: "Checking your browser…",
    body: "A quick automatic check that keeps bots out of the line. It takes a second or two; you don't need to do anything.",
    failed: "The check didn't finish. Your browser may be blocking it, or the connection dropped.",
    retry: "Try again",
  },
  announcePosition: (position) => `You are now number ${position} in line.`,
  noscript: "JavaScript is off, so this page reloads itself every few seconds to keep your place.",
  footer: "This page keeps your place while it is open.",
  languageLabel: "Language",
};

const ko: WaitingMessages = {
  locale: "ko-KR",
  documentTitle: "대기실",
  tabTitleInLine: (position) => `${position}번째 대기 중`,
  tagline: "가상 대기실",
  states: {
    joining: { heading: "대기 순서를 받고 있습니다…", body: "잠시만 기다려 주세요." },
    full: {
      heading: "대기실이 가득 찼습니다",
      body: "지금은 대기 인원이 많아 더 이상 줄을 설 수 없습니다. 이 페이지에서 자동으로 다시 시도합니다.",
    },
    waiting: {
      heading: "대기 중입니다",
      body: "이 페이지를 열어 두세요. 차례가 되면 자동으로 입장합니다.",
    },
    next: { heading: "다음 차례입니다", body: "곧 입장합니다. 페이지를 닫지 말고 잠시만 기다려 주세요." },
    paused: {
      heading: "입장이 잠시 멈췄습니다",
      body: "사이트에서 입장을 잠시 중단했습니다. 대기 순서는 그대로 유지되며, 입장이 재개되면 이어서 진행됩니다.",
    },
    closed: {
      heading: "대기실이 닫혔습니다",
      body: "지금은 입장을 받지 않습니다. 대기 순서는 그대로 유지되며, 대기실이 다시 열리면 이 페이지가 자동으로 바뀝니다.",
    },
    prequeue: {
      heading: "시작 전에 도착하셨습니다",
      body: "시작 전에 도착한 모든 분의 대기 순서는 시작 시각에 무작위로 정해집니다. 일찍 오거나 새로 고쳐도 순서에 영향이 없으니 이 페이지를 열어 두세요.",
    },
    admitted: { heading: "입장할 차례입니다", body: "입장하는 중입니다…" },
    expired: {
      heading: "대기 순서가 만료되었습니다",
      body: "페이지가 닫혀 있었거나 연결이 너무 오래 끊겨 대기 순서가 해제되었습니다. 다시 줄을 설 수 있습니다.",
    },
    ended: {
      heading: "이용 시간이 끝났습니다",
      body: "기다리는 모든 분이 차례대로 이용하실 수 있도록 이용 시간이 정해져 있습니다. 다시 줄을 서실 수 있습니다.",
    },
    lost: {
      heading: "죄송합니다. 대기 순서를 지키지 못했습니다",
      body: "대기실 서버 쪽에 문제가 있어 다시 연결하는 동안 대기 순서를 유지하지 못했습니다. 이용자 쪽 문제가 아닙니다. 다시 줄을 설 수 있습니다.",
    },
  },
  closedWithoutPlaceBody: "지금은 새로 줄을 설 수 없습니다. 이 페이지에서 자동으로 다시 시도합니다.",
  labels: {
    position: "내 순서",
    ahead: "내 앞 대기 인원",
    eta: "예상 대기 시간",
    progress: "진행률",
    waitingNow: "현재 대기 인원",
    startsAt: "순서 추첨 시각",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}, 곧 시작` : `${time}, ${inMinutes}분 후`),
  positionSuffix: "번째",
  aheadUnit: () => "명",
  unitGap: "",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "계산 중…";
      case "under-minute":
        return "1분 이내";
      case "minutes":
        return `약 ${eta.minutes}분`;
      case "hours":
        return eta.minutes > 0 ? `약 ${eta.hours}시간 ${eta.minutes}분` : `약 ${eta.hours}시간`;
    }
  },
  etaNotEnoughData: "아직 데이터가 충분하지 않습니다",
  etaOnHold: "일시 중지",
  admissionsPerMinute: (count) => `분당 입장 인원: ${count}명`,
  progressText: (percent) => `내 앞 대기열의 ${percent}%가 입장했습니다`,
  retryIn: (seconds) => `${seconds}초 후 다시 시도합니다.`,
  reconnecting: "연결이 끊겼습니다. 다시 연결하는 중입니다… 대기 순서는 당분간 유지됩니다.",
  live: "실시간 업데이트 중",
  noRefreshNeeded: "새로 고침하지 않아도 이 페이지는 자동으로 업데이트됩니다.",
  newPlace: "다시 줄 서기",
  continueLink: "이동하지 않나요? 사이트로 이동",
  reference: {
    label: "접수 번호",
    hint: "문의하실 때 이 번호를 알려 주세요.",
    copy: "복사",
    copied: "복사했습니다",
  },
  challenge: {
    heading: "브라우저를 확인하고 있습니다…",
    body: "자동 프로그램이 줄을 서지 못하도록 잠깐 확인합니다. 1~2초면 끝나며, 따로 하실 일은 없습니다.",
    failed: "확인을 마치지 못했습니다. 브라우저가 확인을 막았거나 연결이 끊겼을 수 있습니다.",
    retry: "다시 시도",
  },
  announcePosition: (position) => `현재 대기 순서는 ${position}번째입니다.`,
  noscript: "자바스크립트가 꺼져 있어, 순서를 유지하기 위해 이 페이지가 몇 초마다 새로 고쳐집니다.",
  footer: "이 페이지가 열려 있는 동안 대기 순서가 유지됩니다.",
  languageLabel: "언어",
};

export const waitingMessages: Record<Lang, WaitingMessages> = { en, ko };

export function formatCount(messages: WaitingMessages, value: number): string {
  return new Intl.NumberFormat(messages.locale, { maximumFractionDigits: 1 }).format(value);
}
