/*!
 * Floodgate embed: keeps a visitor whom a Floodgate waiting room admitted checked in while
 * they use another site, and sends them back to the waiting room once the admission ends.
 * Dependency-free; safe to include once per page.
 *
 * Usage:
 *   <script src="https://floodgate.example.com/floodgate.js"
 *           data-room="default"
 *           data-origin="https://floodgate.example.com"
 *           data-token="(optional queue token)" defer></script>
 *
 *   data-room    room id; "default" when absent.
 *   data-origin  the Floodgate server; defaults to the origin this script was loaded from.
 *   data-show-time-left  "true": under a room's session time limit, a small badge in the
 *                page's corner counts down the time left (otherwise read
 *                Floodgate.sessionEndsAt and show it your way).
 *   data-lang    the badge's language (en, ko, ja, zh-Hans, zh-Hant, es, fr, de); defaults to
 *                the page's <html lang>, then the browser's language, then English.
 *   data-token   the visitor's queue token, sent as "Authorization: Bearer". Without it the
 *                script takes a `fg_token` query parameter (moving it to sessionStorage and
 *                out of the address bar, so it is not bookmarked, shared or logged), then a
 *                token stored earlier in this tab, and otherwise relies on Floodgate's own
 *                cookie (credentials: "include"), which only works when both sites are same-site.
 *
 * The Floodgate server has to allow this site's origin for CORS on /api/queue/{room}/*
 * (Authorization and Content-Type request headers, Retry-After exposed).
 *
 * Events on window:
 *   "floodgate:status"   detail: the status of each heartbeat.
 *   "floodgate:expired"  detail: { reason, status }. Cancelable: call preventDefault() to
 *                        handle the end of admission yourself instead of the redirect.
 *                        reason "outage": the admission lapsed while Floodgate could not be
 *                        reached (the calls just before failed), not through the visitor;
 *                        "session_limit": the room's time limit ended the visit;
 *                        "evicted": an operator removed the visitor; "ended_by_site": the site
 *                        ended the session (session API); "gone": the place simply lapsed.
 *   "floodgate:ended"    the visitor's session was ended by endSession(); no redirect follows.
 * API:
 *   window.Floodgate.stop()        stop heartbeating (and do not send "leave").
 *   window.Floodgate.endSession()  the visitor is done (e.g. checkout complete): their slot
 *                                  goes to the next person in line now, heartbeats stop, and
 *                                  their admission ends. Resolves true once Floodgate confirmed
 *                                  (also when the session had already ended), false if it could
 *                                  not be reached; heartbeats resume then, so try again later.
 *                                  From a server, use POST /api/triggers/end-session instead.
 *   window.Floodgate.lastStatus    the last status received, or null.
 *   window.Floodgate.sessionEndsAt when the room's time limit ends this visit (epoch ms), or
 *                                  null when the room has none.
 */
// @ts-check
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic <script>, not a module, so this is not redundant
  "use strict";

  /** @typedef {{ state: string, heartbeatIntervalMs?: number, heartbeatTimeoutMs?: number }} QueueStatus */
  /** @type {Window & { Floodgate?: unknown }} */
  const globalScope = window;
  if (globalScope.Floodgate) return;

  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const data = script ? script.dataset : {};
  const room = data.room || "default";
  const origin = resolveOrigin(data.origin, script ? script.src : "");
  if (!origin) {
    console.error("[floodgate] data-origin must be an http(s) URL");
    return;
  }
  const tokenKey = `fg_token:${room}`;
  const token = data.token || takeTokenFromUrl() || readStoredToken();

  const MIN_INTERVAL_MS = 1000;
  const MAX_INTERVAL_MS = 60000;
  // Retries never outgrow what keeps the admission: at most a quarter of the heartbeat timeout
  // the server announced apart (2 s before any reply), so once the server is back this page
  // checks in well within it. Same bound as the waiting page (components/waiting/retry-delay.ts).
  const DEFAULT_RETRY_CAP_MS = 2000;
  const MIN_RETRY_MS = 100;

  /** @type {QueueStatus | null} */
  let lastStatus = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let stopped = false;
  /** Between pagehide and a back/forward-cache restore. */
  let paused = false;
  let inFlight = false;
  let failures = 0;
  let lastBeatAt = 0;
  /** @type {number | null} */
  let heartbeatTimeoutMs = null;

  /** @param {string | undefined} configured @param {string} scriptSrc */
  function resolveOrigin(configured, scriptSrc) {
    try {
      const url = new URL(configured || scriptSrc || window.location.href, window.location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
    } catch {
      return null;
    }
  }

  // A token in the URL is moved out of it at once: the address bar, history and Referer
  // headers should not carry it.
  function takeTokenFromUrl() {
    const url = new URL(window.location.href);
    const fromUrl = url.searchParams.get("fg_token");
    if (!fromUrl) return null;
    url.searchParams.delete("fg_token");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    try {
      window.sessionStorage.setItem(tokenKey, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page view.
    }
    return fromUrl;
  }

  function readStoredToken() {
    try {
      return window.sessionStorage.getItem(tokenKey);
    } catch {
      return null;
    }
  }

  // One id per page load: the server then ignores this page's own heartbeat if it lands after
  // the page's leave (it was already on its way when the tab closed).
  const pageId = `p${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;

  /** @param {"heartbeat" | "leave" | "end-session"} action */
  function endpoint(action) {
    return `${origin}/api/queue/${encodeURIComponent(room)}/${action}?page=${pageId}`;
  }

  /** @returns {RequestInit} */
  function requestInit() {
    /** @type {Record<string, string>} */
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    return {
      method: "POST",
      headers,
      mode: "cors",
      cache: "no-store",
      credentials: token ? "omit" : "include",
    };
  }

  /** @param {number} delayMs */
  function schedule(delayMs) {
    clearTimeout(timer);
    timer = setTimeout(beat, delayMs);
  }

  /** @param {string | null} header @returns {number | null} */
  function retryAfterMs(header) {
    if (!header) return null;
    if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
    const at = Date.parse(header);
    return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
  }

  function retryCapMs() {
    if (heartbeatTimeoutMs === null) return DEFAULT_RETRY_CAP_MS;
    return Math.min(30000, Math.max(500, Math.round(heartbeatTimeoutMs / 4)));
  }

  // Exponential backoff with full jitter (a uniform draw over the window), so visitors who lost
  // the server together do not all come back together; capped by what keeps the admission. A
  // Retry-After is honoured up to two thirds of the cap and spread from there.
  /** @param {number | null} afterMs */
  /**
   * Why admission ended, from a 410's error: the server's reason where it is the site's or the
   * time limit's; its "lost" (not restored after a restart) and any lapse right after failed
   * calls are "outage"; else "gone".
   * @param {{ code?: string, reason?: string } | undefined} error
   * @param {boolean} hadFailures
   */
  function expiryReason(error, hadFailures) {
    const reason = error?.reason;
    if (reason === "evicted" || reason === "ended_by_site" || reason === "session_limit") return reason;
    if (error?.code === "session_ended") return "session_limit";
    return reason === "lost" || hadFailures ? "outage" : "gone";
  }

  function retry(afterMs) {
    failures += 1;
    const cap = retryCapMs();
    const ceiling = Math.min(cap, 1000 * 2 ** Math.min(failures - 1, 20));
    if (afterMs === null) {
      schedule(Math.max(MIN_RETRY_MS, Math.random() * ceiling));
      return;
    }
    const floor = Math.min(Math.max(afterMs, MIN_RETRY_MS), (cap * 2) / 3);
    const top = Math.min(cap, Math.max(ceiling, floor * 1.5));
    schedule(floor + Math.random() * (top - floor));
  }

  /** @param {string} name @param {unknown} detail @param {boolean} [cancelable] */
  function dispatch(name, detail, cancelable) {
    return window.dispatchEvent(new CustomEvent(name, { detail, cancelable: Boolean(cancelable) }));
  }

  /** @param {string} reason */
  function expire(reason) {
    stop();
    if (!dispatch("floodgate:expired", { reason, status: lastStatus }, true)) return;
    // The waiting room only accepts a same-site `next`, so other sites go to the room itself.
    let waitUrl = `${origin}/wait/${encodeURIComponent(room)}`;
    if (window.location.origin === origin) {
      waitUrl += `?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    }
    window.location.assign(waitUrl);
  }

  async function beat() {
    if (stopped || paused || inFlight) return;
    clearTimeout(timer);
    inFlight = true;
    lastBeatAt = Date.now();
    /** @type {Response} */
    let response;
    /** @type {QueueStatus | null} */
    let status;
    try {
      response = await fetch(endpoint("heartbeat"), requestInit());
      if (response.status === 401 || response.status === 404 || response.status === 410) {
        inFlight = false;
        /** @type {{ error?: { code?: string, reason?: string } } | null} */
        const body = response.status === 410 ? await response.json().catch(() => null) : null;
        expire(expiryReason(body?.error, failures > 0));
        return;
      }
      if (!response.ok) {
        inFlight = false;
        retry(retryAfterMs(response.headers.get("Retry-After")));
        return;
      }
      status = await response.json();
    } catch {
      inFlight = false;
      if (!stopped && !paused) retry(null);
      return;
    }
    inFlight = false;
    if (stopped || paused) return;
    if (!status || typeof status.state !== "string") {
      retry(null);
      return;
    }
    const afterTrouble = failures > 0;
    failures = 0;
    lastStatus = status;
    const timeout = Number(status.heartbeatTimeoutMs);
    if (Number.isFinite(timeout) && timeout > 0) heartbeatTimeoutMs = timeout;
    dispatch("floodgate:status", status);
    showTimeLeft();
    if (status.state !== "admitted") {
      expire(status.state === "expired" && afterTrouble ? "outage" : status.state);
      return;
    }
    const interval = Number(status.heartbeatIntervalMs);
    schedule(Number.isFinite(interval) ? Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, interval)) : 5000);
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    clearInterval(badgeTimer);
    badge?.remove();
    badge = null;
  }

  /** @returns {number | null} */
  function sessionEndsAt() {
    const endsAt = lastStatus ? Number(/** @type {{ sessionEndsAt?: unknown }} */ (lastStatus).sessionEndsAt) : NaN;
    return Number.isFinite(endsAt) ? endsAt : null;
  }

  /** @type {HTMLElement | null} */
  let badge = null;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let badgeTimer;

  // The optional countdown badge (data-show-time-left="true"), in the site's corner.
  function showTimeLeft() {
    if (data.showTimeLeft !== "true" || typeof document.createElement !== "function") return;
    if (sessionEndsAt() === null) {
      badge?.remove();
      badge = null;
      return;
    }
    if (!badge) {
      badge = document.createElement("div");
      badge.setAttribute("role", "timer");
      badge.setAttribute("data-floodgate", "time-left");
      badge.style.cssText =
        "position:fixed;right:12px;bottom:12px;z-index:2147483647;padding:6px 10px;border-radius:999px;" +
        "background:#1b2233;color:#fff;font:600 13px/1.2 system-ui,sans-serif;font-variant-numeric:tabular-nums";
      document.body.append(badge);
      badgeTimer = setInterval(renderBadge, 1000);
    }
    renderBadge();
  }

  function renderBadge() {
    const endsAt = sessionEndsAt();
    if (!badge || endsAt === null) return;
    const total = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    const minutes = Math.floor(total / 60);
    badge.textContent = `${TIME_LEFT[badgeLanguage()]} ${minutes}:${String(total % 60).padStart(2, "0")}`;
  }

  // The badge's words in the waiting page's languages. This script has no dependencies, so the
  // tag mapping is a small copy of components/waiting/negotiate-language.ts (Chinese by script,
  // then by region: Taiwan, Hong Kong and Macau write Traditional characters).
  /** @type {Record<string, string>} */
  const TIME_LEFT = {
    en: "Time left",
    ko: "남은 시간",
    ja: "残り時間",
    "zh-Hans": "剩余时间",
    "zh-Hant": "剩餘時間",
    es: "Tiempo restante",
    fr: "Temps restant",
    de: "Restzeit",
  };

  /** @param {unknown} tag @returns {string | null} */
  function badgeLanguageOf(tag) {
    if (typeof tag !== "string") return null;
    const parts = tag.trim().toLowerCase().split("-");
    if (parts[0] === "zh") {
      if (parts.includes("hant")) return "zh-Hant";
      if (parts.includes("hans")) return "zh-Hans";
      return parts.some((p) => p === "tw" || p === "hk" || p === "mo") ? "zh-Hant" : "zh-Hans";
    }
    const primary = parts[0] || "";
    return Object.hasOwn(TIME_LEFT, primary) ? primary : null;
  }

  /** data-lang, else the page's own language, else the browser's, else English. */
  function badgeLanguage() {
    const candidates = [data.lang, document.documentElement?.lang, navigator.language];
    for (const candidate of candidates) {
      const lang = badgeLanguageOf(candidate);
      if (lang) return lang;
    }
    return "en";
  }

  /** @returns {Promise<boolean>} */
  async function endSession() {
    const wasStopped = stopped;
    stop();
    try {
      const response = await fetch(endpoint("end-session"), requestInit());
      // 401/410: this place is already gone, which is what was asked for.
      if (response.ok || response.status === 401 || response.status === 410) {
        try {
          window.sessionStorage.removeItem(tokenKey);
        } catch {}
        dispatch("floodgate:ended", { status: lastStatus });
        return true;
      }
    } catch {}
    // Not confirmed: keep the admission alive as before, so the visitor is not stranded.
    if (!wasStopped) {
      stopped = false;
      schedule(0);
    }
    return false;
  }

  // Closing the page frees the place for the next person after a short grace (reloads come
  // back within it). sendBeacon cannot carry an Authorization header, so the token rides in a
  // text/plain body: a simple request that needs no CORS preflight and survives the unload.
  // Without a token, the same-site cookie identifies the visitor.
  // Heartbeats pause first: one fired after the goodbye would cancel it, as a reload's does.
  window.addEventListener("pagehide", () => {
    if (stopped) return;
    paused = true;
    clearTimeout(timer);
    const body = new Blob([JSON.stringify(token ? { token, page: pageId } : { page: pageId })], { type: "text/plain" });
    if (!navigator.sendBeacon?.(endpoint("leave"), body)) {
      fetch(endpoint("leave"), Object.assign(requestInit(), { keepalive: true })).catch(() => {});
    }
  });
  // Restored from the back/forward cache: check in now (a lapsed admission redirects).
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    paused = false;
    beat();
  });
  // Shown again after background throttling: check in now rather than at the late timer.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - lastBeatAt > MIN_INTERVAL_MS) beat();
  });

  globalScope.Floodgate = {
    room,
    origin,
    get lastStatus() {
      return lastStatus;
    },
    get sessionEndsAt() {
      return sessionEndsAt();
    },
    stop,
    endSession,
  };

  beat();
})();
