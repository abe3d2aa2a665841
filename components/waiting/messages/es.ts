// The waiting page in Spanish (Spain: "cola", "recargar"), addressing the visitor as tú, as
// Spanish shops and ticket sites do; wording kept free of gendered forms ("Ya casi te toca").
import type { WaitingMessages } from "./types";

export const es: WaitingMessages = {
  locale: "es-ES",
  documentTitle: "Sala de espera",
  tabTitleInLine: (position) => `Puesto ${position} en la cola`,
  tagline: "Sala de espera virtual",
  states: {
    joining: { heading: "Buscándote un sitio en la cola…", body: "Solo será un momento." },
    full: {
      heading: "La sala de espera está llena",
      body: "Hay tanta gente esperando que ahora mismo no cabe nadie más en la cola. Esta página volverá a intentarlo sola.",
    },
    waiting: {
      heading: "Estás en la cola",
      body: "Deja esta página abierta. Cuando sea tu turno, entrarás automáticamente.",
    },
    next: {
      heading: "Ya casi te toca",
      body: "El próximo hueco que quede libre es tuyo. Deja esta página abierta: te haremos pasar automáticamente.",
    },
    paused: {
      heading: "Entrada en pausa",
      body: "El sitio ha dejado de dar paso durante un momento. Conservas tu puesto en la cola, y todo volverá a avanzar cuando se reanude la entrada.",
    },
    closed: {
      heading: "La sala está cerrada",
      body: "Ahora mismo no está entrando nadie. Conservas tu puesto en la cola, y esta página se actualizará sola si la sala vuelve a abrir.",
    },
    prequeue: {
      heading: "Has llegado antes de la apertura",
      body: "A quienes lleguen antes de la apertura se les asignará un puesto en la cola por sorteo cuando empiece, así que llegar antes o recargar la página no cambia tus posibilidades. Deja esta página abierta.",
    },
    admitted: { heading: "Es tu turno", body: "Te estamos dando paso…" },
    expired: {
      heading: "Tu puesto ha caducado",
      body: "Esta página se cerró o estuvo sin conexión demasiado tiempo, así que tu puesto en la cola quedó libre. Puedes volver a ponerte en la cola.",
    },
    ended: {
      heading: "Se ha acabado tu tiempo",
      body: "Las visitas a este sitio tienen un tiempo limitado para que a todas las personas de la cola les llegue su turno. Puedes volver a ponerte en la cola.",
    },
    lost: {
      heading: "Lo sentimos, hemos perdido tu puesto",
      body: "Algo falló por nuestra parte y no pudimos guardar tu puesto en la cola. No ha sido por nada que hayas hecho. Vuelve a ponerte en la cola para conseguir un puesto nuevo.",
    },
    removed: {
      heading: "El sitio ha retirado tu puesto",
      body: "Alguien que gestiona este sitio ha retirado tu puesto en la cola o ha terminado tu visita. No ha sido por tu página ni por tu conexión. Puedes volver a ponerte en la cola.",
    },
    siteEnded: {
      heading: "El sitio ha terminado tu visita",
      body: "El sitio nos ha avisado de que tu visita ha terminado (por ejemplo, al completar una compra), así que tu turno ha pasado a la siguiente persona. Si lo necesitas, puedes volver a ponerte en la cola.",
    },
  },
  closedWithoutPlaceBody: "La sala de espera no admite a nadie más por ahora. Esta página volverá a intentarlo sola.",
  labels: {
    position: "Tu puesto en la cola",
    ahead: "Delante de ti",
    eta: "Espera estimada",
    progress: "Progreso",
    waitingNow: "Personas esperando ahora",
    startsAt: "Sorteo del orden",
  },
  startsAt: (time, inMinutes) =>
    inMinutes <= 0 ? `${time}, en cualquier momento` : `${time}, dentro de ${inMinutes} min`,
  positionPrefix: "",
  positionSuffix: "",
  aheadUnit: (count) => (count === 1 ? "persona" : "personas"),
  unitGap: " ",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "Calculando…";
      case "under-minute":
        return "Menos de un minuto";
      case "minutes":
        return eta.minutes === 1 ? "Alrededor de 1 minuto" : `Unos ${eta.minutes} minutos`;
      case "hours":
        if (eta.minutes > 0) return `Alrededor de ${eta.hours} h ${eta.minutes} min`;
        return eta.hours === 1 ? "Alrededor de 1 hora" : `Unas ${eta.hours} horas`;
    }
  },
  etaNotEnoughData: "Aún no hay datos suficientes",
  etaOnHold: "En pausa",
  admissionsPerMinute: (count) => `Entradas por minuto: ${count}`,
  progressText: (percent) => `Ya ha entrado el ${percent} de la gente que tenías delante`,
  retryIn: (seconds) => `Nuevo intento en ${seconds} s.`,
  retrying: "Reintentando…",
  tryNow: "Intentar ahora",
  reconnecting: "Se ha perdido la conexión. Reconectando… De momento conservas tu puesto.",
  live: "Actualización en directo",
  noRefreshNeeded: "No hace falta recargar: esta página se actualiza sola.",
  newPlace: "Volver a la cola",
  continueLink: "¿No avanza? Entrar en el sitio",
  reference: {
    label: "Referencia",
    hint: "Indícala si contactas con atención al cliente.",
    copy: "Copiar",
    copied: "Copiado",
  },
  challenge: {
    heading: "Comprobando tu navegador…",
    body: "Una comprobación automática y rápida para que los bots no se cuelen en la cola. Tarda un segundo o dos y no tienes que hacer nada.",
    failed:
      "La comprobación no ha terminado. Puede que tu navegador la esté bloqueando o que se haya cortado la conexión.",
    retry: "Reintentar",
    noscript:
      "Esta sala de espera comprueba tu navegador antes de darte un lugar en la cola, y para eso necesita JavaScript. Activa JavaScript y vuelve a cargar esta página.",
  },
  announcePosition: (position) => `Ahora ocupas el puesto ${position} de la cola.`,
  fullStop: ".",
  noscript:
    "JavaScript está desactivado, así que esta página se recarga sola cada pocos segundos para conservar tu puesto.",
  footer: "Mientras esta página siga abierta, conservas tu puesto.",
  languageLabel: "Idioma",
};
