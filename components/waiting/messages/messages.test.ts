import { describe, expect, it } from "vitest";
import type { EtaDisplay } from "../format-eta";
import { LANGS } from "../negotiate-language";
import type { DisplayState } from "../queue-view";
import { formatCount, formatPercent, type WaitingMessages, waitingMessages } from "./index";

const states: DisplayState[] = [
  "joining",
  "full",
  "waiting",
  "next",
  "paused",
  "closed",
  "prequeue",
  "admitted",
  "expired",
  "lost",
  "ended",
  "removed",
  "siteEnded",
];

const etas: EtaDisplay[] = [
  { kind: "unknown" },
  { kind: "under-minute" },
  { kind: "minutes", minutes: 1 },
  { kind: "minutes", minutes: 7 },
  { kind: "minutes", minutes: 45 },
  { kind: "hours", hours: 1, minutes: 0 },
  { kind: "hours", hours: 1, minutes: 15 },
  { kind: "hours", hours: 3, minutes: 0 },
  { kind: "hours", hours: 2, minutes: 45 },
];

/** Every string a dictionary can produce, sentence functions called with sample values. */
function everyString(m: WaitingMessages): string[] {
  return [
    m.documentTitle,
    m.tabTitleInLine("12"),
    m.tagline,
    ...states.flatMap((state) => [m.states[state].heading, m.states[state].body]),
    m.closedWithoutPlaceBody,
    ...Object.values(m.labels),
    m.startsAt("14:05", 0),
    m.startsAt("14:05", 4),
    ...[0, 1, 2, 12].map((count) => m.aheadUnit(count)),
    ...etas.map((eta) => m.eta(eta)),
    m.etaNotEnoughData,
    m.etaOnHold,
    m.admissionsPerMinute("3.5"),
    m.progressText(formatPercent(m, 67)),
    m.retryIn(30),
    m.retrying,
    m.tryNow,
    m.reconnecting,
    m.live,
    m.noRefreshNeeded,
    m.newPlace,
    m.continueLink,
    ...Object.values(m.reference),
    ...Object.values(m.challenge),
    m.announcePosition("12"),
    m.fullStop,
    m.noscript,
    m.footer,
    m.languageLabel,
  ];
}

describe.each(LANGS)("the %s waiting page", (lang) => {
  const m = waitingMessages[lang];

  it("has words for every state, ETA and label, none empty or unfilled", () => {
    for (const text of everyString(m)) {
      expect(text.trim(), JSON.stringify(text)).not.toBe("");
      expect(text).not.toMatch(/undefined|NaN|\$\{|\[object/);
      expect(text).toBe(text.trim());
    }
  });

  it("names every state differently", () => {
    const headings = states.map((state) => m.states[state].heading);
    expect(new Set(headings).size).toBe(states.length);
  });

  it("puts the numbers it is given into the sentences", () => {
    expect(m.tabTitleInLine("12")).toContain("12");
    expect(m.announcePosition("12")).toContain("12");
    expect(m.admissionsPerMinute("3.5")).toContain("3.5");
    expect(m.startsAt("14:05", 4)).toContain("4");
    expect(m.retryIn(30)).toContain("30");
    expect(m.eta({ kind: "minutes", minutes: 7 })).toContain("7");
    const hoursAndMinutes = m.eta({ kind: "hours", hours: 2, minutes: 45 });
    expect(hoursAndMinutes).toContain("2");
    expect(hoursAndMinutes).toContain("45");
    expect(m.progressText(formatPercent(m, 67))).toContain("67");
  });

  it("tells every ETA kind apart", () => {
    expect(new Set(etas.map((eta) => m.eta(eta))).size).toBe(etas.length);
  });

  it("is in its own language, not a copy of the English", () => {
    if (lang === "en") return;
    const en = everyString(waitingMessages.en);
    const own = everyString(m);
    // Only punctuation and figures may be shared (the full stop "." of the Latin-script languages).
    const same = own.filter((text, i) => text === en[i] && !/^[\d\s.:,%]*$/.test(text));
    expect(same).toEqual([]);
  });

  it("formats numbers with a locale that Intl knows", () => {
    expect(Intl.NumberFormat.supportedLocalesOf([m.locale])).toEqual([m.locale]);
    expect(formatCount(m, 1234)).toMatch(/^1\D?234$/);
    expect(formatPercent(m, 67)).toMatch(/^67\s?%$/u);
  });
});

describe("language details", () => {
  it("counts people the way each language does", () => {
    const unit = (lang: (typeof LANGS)[number], count: number) =>
      `${formatCount(waitingMessages[lang], count)}${waitingMessages[lang].unitGap}${waitingMessages[lang].aheadUnit(count)}`;
    expect(unit("en", 1)).toBe("1 person");
    expect(unit("en", 30)).toBe("30 people");
    expect(unit("ko", 30)).toBe("30명");
    expect(unit("ja", 30)).toBe("30人");
    expect(unit("zh-Hans", 30)).toBe("30人");
    expect(unit("zh-Hant", 1)).toBe("1人");
    expect(unit("es", 1)).toBe("1 persona");
    expect(unit("es", 0)).toBe("0 personas");
    expect(unit("fr", 0)).toBe("0\u00a0personne");
    expect(unit("fr", 1)).toBe("1\u00a0personne");
    expect(unit("fr", 2)).toBe("2\u00a0personnes");
    expect(unit("de", 1)).toBe("1 Person");
    expect(unit("de", 1234)).toBe("1.234 Personen");
  });

  it("writes the place in line around the number where the language needs it", () => {
    const place = (lang: (typeof LANGS)[number]) =>
      `${waitingMessages[lang].positionPrefix}3${waitingMessages[lang].positionSuffix}`;
    expect(place("en")).toBe("3");
    expect(place("ko")).toBe("3번째");
    expect(place("ja")).toBe("3番目");
    expect(place("zh-Hans")).toBe("第3位");
    expect(place("zh-Hant")).toBe("第3位");
    expect(place("de")).toBe("3");
  });

  it("uses French typographic spaces", () => {
    const fr = waitingMessages.fr;
    expect(fr.continueLink).toContain("\u202f?");
    expect(fr.noRefreshNeeded).toContain("\u00a0:");
    expect(fr.admissionsPerMinute("4")).toBe("Entrées par minute\u00a0: 4");
    expect(fr.eta({ kind: "hours", hours: 1, minutes: 15 })).toBe("Environ 1\u00a0h\u00a015");
    // No ordinary space before a high punctuation mark anywhere in the French copy.
    for (const text of everyString(fr)) expect(text).not.toMatch(/ [?!:;]/);
  });

  it("writes ETAs naturally in each language", () => {
    const eta: EtaDisplay = { kind: "hours", hours: 1, minutes: 30 };
    expect(waitingMessages.ja.eta(eta)).toBe("約1時間30分");
    expect(waitingMessages["zh-Hans"].eta(eta)).toBe("约1小时30分钟");
    expect(waitingMessages["zh-Hant"].eta(eta)).toBe("約1小時30分鐘");
    expect(waitingMessages.de.eta({ kind: "minutes", minutes: 1 })).toBe("Etwa 1 Minute");
    expect(waitingMessages.es.eta({ kind: "hours", hours: 1, minutes: 0 })).toBe("Alrededor de 1 hora");
  });

  it("gives each Chinese script its own characters", () => {
    const hans = everyString(waitingMessages["zh-Hans"]).join("");
    const hant = everyString(waitingMessages["zh-Hant"]).join("");
    // 队/隊, 页/頁, 时/時: a Simplified form never appears in the Traditional copy, nor the reverse.
    expect(hant).not.toMatch(/[队页时钟网进续]/);
    expect(hans).not.toMatch(/[隊頁時鐘網進續]/);
  });
});
