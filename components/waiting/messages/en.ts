// The waiting page in English (the copy every other language is written from).
import type { WaitingMessages } from "./types";

export const en: WaitingMessages = {
  locale: "en-US",
  documentTitle: "Waiting room",
  tabTitleInLine: (position) => `#${position} in line`,
  tagline: "Virtual waiting room",
  states: {
    joining: { heading: "Getting you a place in line…", body: "This only takes a moment." },
    full: {
      heading: "The waiting room is full",
      body: "So many people are already waiting that we can't add anyone else to the line just now. This page will keep trying for you.",
    },
    waiting: {
      heading: "You're in line",
      body: "Keep this page open. When it's your turn, we'll take you in automatically.",
    },
    next: {
      heading: "You're next",
      body: "The next free slot is yours. Keep this page open: we'll take you in automatically.",
    },
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
      body: "Something went wrong on our side and we couldn't keep your place in line. This wasn't caused by anything you did. Join the line again to get a new place.",
    },
    removed: {
      heading: "The site removed your place",
      body: "Someone running this site removed your place in line or ended your visit. It wasn't because of your page or your connection. You can join the line again.",
    },
    siteEnded: {
      heading: "The site ended your visit",
      body: "The site let us know your visit is over (for example, after a purchase was completed), so your turn has gone to the next person in line. You can join the line again if you need to.",
    },
  },
  closedWithoutPlaceBody:
    "The waiting room isn't letting anyone new into the line right now. This page will keep trying for you.",
  labels: {
    position: "Your place in line",
    ahead: "Ahead of you",
    eta: "Estimated wait",
    progress: "Progress",
    waitingNow: "People waiting now",
    startsAt: "Order drawn at",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}, any moment now` : `${time}, in ${inMinutes} min`),
  positionPrefix: "",
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
  progressText: (percent) => `${percent} of the line ahead of you has gone in`,
  retryIn: (seconds) => `Trying again in ${seconds} s`,
  retrying: "Trying again…",
  tryNow: "Try now",
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
    noscript:
      "This waiting room checks your browser before it gives a place in line, and that needs JavaScript. Turn JavaScript on, then reload this page.",
  },
  announcePosition: (position) => `You are now number ${position} in line.`,
  fullStop: ".",
  noscript: "JavaScript is off, so this page reloads itself every few seconds to keep your place.",
  footer: "This page keeps your place while it is open.",
  languageLabel: "Language",
};
