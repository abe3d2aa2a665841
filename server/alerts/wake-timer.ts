import "server-only";

/**
 * The notification worker's one pending wake-up. Asking for a wake-up later than the one already
 * set keeps the sooner: a pass that ends with "sleep 30 s" must not cancel the "run now" that an
 * attempt finishing or a notice arriving asked for while the pass was reading the database (that
 * lost wake-up left a retry waiting out the whole idle poll).
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | null = null;
  private dueAtMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly run: () => void,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Runs `run` in delayMs, or sooner if a sooner wake-up is already set. */
  wakeIn(delayMs: number): void {
    const dueAtMs = this.nowMs() + delayMs;
    if (this.timer && this.dueAtMs <= dueAtMs) return;
    this.cancel();
    this.dueAtMs = dueAtMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dueAtMs = Number.POSITIVE_INFINITY;
      this.run();
    }, delayMs);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAtMs = Number.POSITIVE_INFINITY;
  }
}
