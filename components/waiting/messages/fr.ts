// The waiting page in French (France), addressing the visitor as vous. French typography:
// a no-break space before ":" and between a number and its unit, a narrow no-break space
// before "?" and "!", so neither is left alone at the start of a line; curly apostrophes.
import type { WaitingMessages } from "./types";

const NBSP = "\u00a0";
const NNBSP = "\u202f";

export const fr: WaitingMessages = {
  locale: "fr-FR",
  documentTitle: "Salle d’attente",
  tabTitleInLine: (position) => `N°${NBSP}${position} dans la file`,
  tagline: "Salle d’attente virtuelle",
  states: {
    joining: { heading: "Nous vous réservons une place…", body: "Cela ne prend qu’un instant." },
    full: {
      heading: "La salle d’attente est complète",
      body: "Il y a tant de monde en attente que personne ne peut rejoindre la file pour le moment. Cette page réessaiera d’elle-même.",
    },
    waiting: {
      heading: "Vous êtes dans la file",
      body: "Gardez cette page ouverte. Quand ce sera votre tour, vous entrerez automatiquement.",
    },
    next: {
      heading: "C’est bientôt à vous",
      body: `La prochaine place libérée est pour vous. Gardez cette page ouverte${NBSP}: nous vous ferons entrer automatiquement.`,
    },
    paused: {
      heading: "Les entrées sont suspendues",
      body: "Le site a momentanément cessé de faire entrer les visiteurs. Vous gardez votre place dans la file, qui avancera de nouveau dès la reprise des entrées.",
    },
    closed: {
      heading: "La salle est fermée",
      body: "Personne n’entre pour le moment. Vous gardez votre place dans la file, et cette page se mettra à jour d’elle-même si la salle rouvre.",
    },
    prequeue: {
      heading: "Vous êtes là avant l’ouverture",
      body: `Toutes les personnes arrivées avant l’ouverture reçoivent, au lancement, une place tirée au sort${NBSP}: arriver plus tôt ou actualiser la page ne change rien à vos chances. Gardez cette page ouverte.`,
    },
    admitted: { heading: "C’est à vous", body: "Nous vous faisons entrer…" },
    expired: {
      heading: "Votre place a expiré",
      body: "Cette page a été fermée ou privée de connexion trop longtemps, et votre place dans la file a été libérée. Vous pouvez reprendre une place.",
    },
    ended: {
      heading: "Votre temps est écoulé",
      body: "Les visites sur ce site sont limitées dans le temps pour que chaque personne dans la file ait son tour. Vous pouvez reprendre une place.",
    },
    lost: {
      heading: "Désolés, nous avons perdu votre place",
      body: "Un problème de notre côté nous a fait perdre votre place dans la file. Vous n’y êtes pour rien. Reprenez une place pour rejoindre la file à nouveau.",
    },
    removed: {
      heading: "Le site a retiré votre place",
      body: "Une personne qui gère ce site a retiré votre place dans la file ou mis fin à votre visite. Votre page et votre connexion n’y sont pour rien. Vous pouvez reprendre une place.",
    },
    siteEnded: {
      heading: "Le site a mis fin à votre visite",
      body: "Le site nous a indiqué que votre visite est terminée (par exemple après un achat), et votre tour est passé à la personne suivante. Si besoin, vous pouvez reprendre une place.",
    },
  },
  closedWithoutPlaceBody:
    "La salle d’attente n’accueille plus personne pour le moment. Cette page réessaiera d’elle-même.",
  labels: {
    position: "Votre place dans la file",
    ahead: "Devant vous",
    eta: "Attente estimée",
    progress: "Progression",
    waitingNow: "Personnes en attente",
    startsAt: "Tirage au sort de l’ordre",
  },
  startsAt: (time, inMinutes) =>
    inMinutes <= 0 ? `${time}, d’un instant à l’autre` : `${time}, dans ${inMinutes}${NBSP}min`,
  positionPrefix: "",
  positionSuffix: "",
  // French counts zero and one in the singular ("0 personne").
  aheadUnit: (count) => (count < 2 ? "personne" : "personnes"),
  unitGap: NBSP,
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "Estimation en cours…";
      case "under-minute":
        return "Moins d’une minute";
      case "minutes":
        return eta.minutes === 1 ? `Environ 1${NBSP}minute` : `Environ ${eta.minutes}${NBSP}minutes`;
      case "hours":
        // "1 h 15" is how French writes a duration in hours and minutes.
        if (eta.minutes > 0) return `Environ ${eta.hours}${NBSP}h${NBSP}${eta.minutes}`;
        return eta.hours === 1 ? `Environ 1${NBSP}heure` : `Environ ${eta.hours}${NBSP}heures`;
    }
  },
  etaNotEnoughData: "Pas encore assez de données",
  etaOnHold: "En pause",
  admissionsPerMinute: (count) => `Entrées par minute${NBSP}: ${count}`,
  progressText: (percent) => `${percent} des personnes qui étaient devant vous sont entrées`,
  retryIn: (seconds) => `Nouvel essai dans ${seconds}${NBSP}s.`,
  retrying: "Nouvel essai…",
  tryNow: "Réessayer maintenant",
  reconnecting: "Connexion perdue. Reconnexion en cours… Votre place est conservée en attendant.",
  live: "Mise à jour en direct",
  noRefreshNeeded: `Inutile d’actualiser${NBSP}: cette page se met à jour toute seule.`,
  newPlace: "Reprendre une place",
  continueLink: `Rien ne se passe${NNBSP}? Accéder au site`,
  reference: {
    label: "Référence",
    hint: "Indiquez-la si vous contactez le service client.",
    copy: "Copier",
    copied: "Copié",
  },
  challenge: {
    heading: "Vérification de votre navigateur…",
    body: "Une vérification automatique et rapide pour tenir les robots à l’écart de la file. Elle prend une seconde ou deux, et vous n’avez rien à faire.",
    failed: "La vérification n’a pas abouti. Votre navigateur la bloque peut-être, ou la connexion a été interrompue.",
    retry: "Réessayer",
    noscript:
      "Cette salle d’attente vérifie votre navigateur avant de vous attribuer une place dans la file, ce qui nécessite JavaScript. Activez JavaScript, puis rechargez cette page.",
  },
  announcePosition: (position) => `Vous êtes maintenant à la place ${position} dans la file.`,
  fullStop: ".",
  noscript: `JavaScript est désactivé${NBSP}: cette page se recharge donc toute seule toutes les quelques secondes pour garder votre place.`,
  footer: "Cette page garde votre place tant qu’elle reste ouverte.",
  languageLabel: "Langue",
};
