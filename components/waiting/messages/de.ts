// The waiting page in German, addressing the visitor as Sie, as German shops and ticket
// sites do. A space before a trailing ellipsis that stands for omitted words ("Einen Moment …").
import type { WaitingMessages } from "./types";

export const de: WaitingMessages = {
  locale: "de-DE",
  documentTitle: "Warteraum",
  tabTitleInLine: (position) => `Platz ${position} in der Warteschlange`,
  tagline: "Virtueller Warteraum",
  states: {
    joining: { heading: "Wir reihen Sie in die Warteschlange ein …", body: "Das dauert nur einen Moment." },
    full: {
      heading: "Der Warteraum ist voll",
      body: "Gerade warten so viele Menschen, dass sich niemand mehr anstellen kann. Diese Seite versucht es gleich von selbst noch einmal.",
    },
    waiting: {
      heading: "Sie sind in der Warteschlange",
      body: "Lassen Sie diese Seite geöffnet. Sobald Sie an der Reihe sind, werden Sie automatisch weitergeleitet.",
    },
    next: {
      heading: "Sie sind als Nächstes dran",
      body: "Der nächste freie Platz gehört Ihnen. Lassen Sie diese Seite geöffnet: Wir lassen Sie automatisch hinein.",
    },
    paused: {
      heading: "Der Einlass ist unterbrochen",
      body: "Die Website lässt gerade für einen Moment niemanden hinein. Ihr Platz in der Warteschlange bleibt erhalten, und es geht weiter, sobald der Einlass wieder läuft.",
    },
    closed: {
      heading: "Der Warteraum ist geschlossen",
      body: "Zurzeit wird niemand eingelassen. Ihr Platz in der Warteschlange bleibt erhalten, und diese Seite aktualisiert sich von selbst, wenn der Warteraum wieder öffnet.",
    },
    prequeue: {
      heading: "Sie sind vor dem Start da",
      body: "Alle, die vor dem Start ankommen, bekommen zum Start einen ausgelosten Platz in der Warteschlange. Früher zu kommen oder die Seite neu zu laden, ändert also nichts an Ihren Chancen. Lassen Sie diese Seite geöffnet.",
    },
    admitted: { heading: "Sie sind an der Reihe", body: "Sie werden weitergeleitet …" },
    expired: {
      heading: "Ihr Platz ist verfallen",
      body: "Diese Seite war zu lange geschlossen oder ohne Verbindung, daher wurde Ihr Platz in der Warteschlange freigegeben. Sie können sich erneut anstellen.",
    },
    ended: {
      heading: "Ihre Zeit ist abgelaufen",
      body: "Besuche auf dieser Website sind zeitlich begrenzt, damit alle in der Warteschlange an die Reihe kommen. Sie können sich erneut anstellen.",
    },
    lost: {
      heading: "Ihr Platz ist leider verloren gegangen",
      body: "Auf unserer Seite ist ein Fehler aufgetreten, und wir konnten Ihren Platz in der Warteschlange nicht halten. Das lag nicht an Ihnen. Stellen Sie sich erneut an, um einen neuen Platz zu bekommen.",
    },
    removed: {
      heading: "Die Website hat Ihren Platz entfernt",
      body: "Jemand, der diese Website betreibt, hat Ihren Platz in der Warteschlange entfernt oder Ihren Besuch beendet. Das lag nicht an Ihrer Seite oder Ihrer Verbindung. Sie können sich erneut anstellen.",
    },
    siteEnded: {
      heading: "Die Website hat Ihren Besuch beendet",
      body: "Die Website hat uns mitgeteilt, dass Ihr Besuch beendet ist (zum Beispiel nach einem abgeschlossenen Kauf). Ihr Platz ist an die nächste Person gegangen. Bei Bedarf können Sie sich erneut anstellen.",
    },
  },
  closedWithoutPlaceBody:
    "Der Warteraum nimmt gerade niemanden neu auf. Diese Seite versucht es gleich von selbst noch einmal.",
  labels: {
    position: "Ihr Platz in der Warteschlange",
    ahead: "Vor Ihnen",
    eta: "Geschätzte Wartezeit",
    progress: "Fortschritt",
    waitingNow: "Zurzeit wartend",
    startsAt: "Auslosung der Reihenfolge",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time} Uhr, jeden Moment` : `${time} Uhr, in ${inMinutes} Min.`),
  positionPrefix: "",
  positionSuffix: "",
  aheadUnit: (count) => (count === 1 ? "Person" : "Personen"),
  unitGap: " ",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "Wird berechnet …";
      case "under-minute":
        return "Unter einer Minute";
      case "minutes":
        return eta.minutes === 1 ? "Etwa 1 Minute" : `Etwa ${eta.minutes} Minuten`;
      case "hours":
        if (eta.minutes > 0) return `Etwa ${eta.hours} Std. ${eta.minutes} Min.`;
        return eta.hours === 1 ? "Etwa 1 Stunde" : `Etwa ${eta.hours} Stunden`;
    }
  },
  etaNotEnoughData: "Noch zu wenige Daten",
  etaOnHold: "Angehalten",
  admissionsPerMinute: (count) => `Einlass pro Minute: ${count}`,
  progressText: (percent) => `${percent} der Personen vor Ihnen wurden bereits eingelassen`,
  retryIn: (seconds) => `Nächster Versuch in ${seconds} s.`,
  retrying: "Neuer Versuch läuft …",
  tryNow: "Jetzt versuchen",
  reconnecting: "Verbindung unterbrochen. Sie wird wiederhergestellt … Ihr Platz bleibt bis dahin erhalten.",
  live: "Wird live aktualisiert",
  noRefreshNeeded: "Neu laden ist nicht nötig: Diese Seite aktualisiert sich von selbst.",
  newPlace: "Erneut anstellen",
  continueLink: "Geht es nicht weiter? Zur Website",
  reference: {
    label: "Referenz",
    hint: "Bitte geben Sie diese an, wenn Sie sich an den Kundenservice wenden.",
    copy: "Kopieren",
    copied: "Kopiert",
  },
  challenge: {
    heading: "Ihr Browser wird geprüft …",
    body: "Eine kurze automatische Prüfung, die Bots aus der Warteschlange fernhält. Sie dauert ein, zwei Sekunden; Sie müssen nichts tun.",
    failed:
      "Die Prüfung wurde nicht abgeschlossen. Möglicherweise blockiert Ihr Browser sie, oder die Verbindung wurde unterbrochen.",
    retry: "Erneut versuchen",
    noscript:
      "Dieser Warteraum prüft Ihren Browser, bevor Sie einen Platz in der Warteschlange erhalten. Dafür wird JavaScript benötigt. Bitte aktivieren Sie JavaScript und laden Sie diese Seite neu.",
  },
  announcePosition: (position) => `Sie sind jetzt auf Platz ${position} der Warteschlange.`,
  fullStop: ".",
  noscript:
    "JavaScript ist deaktiviert. Damit Ihr Platz erhalten bleibt, lädt sich diese Seite alle paar Sekunden neu.",
  footer: "Solange diese Seite geöffnet ist, bleibt Ihr Platz erhalten.",
  languageLabel: "Sprache",
};
