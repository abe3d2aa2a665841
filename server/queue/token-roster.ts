// Holders the engine knows only by their token string, least recently seen first (a Map keeps
// insertion order): touching one moves it to the end, so pruning the silent stops at the first
// live one. Used for those kept outside a room's books: the infinite line and passes beyond
// capacity.

export class TokenRoster<T extends { lastSeenMs: number }> {
  private readonly byToken = new Map<string, T>();

  constructor(
    /** Most held; beyond it the longest silent is forgotten. */
    private readonly maxSize = Number.POSITIVE_INFINITY,
    /** Told of every holder forgotten for silence, room or removal. */
    private readonly onForget: (holder: T) => void = () => {},
  ) {}

  get size(): number {
    return this.byToken.size;
  }

  add(token: string, holder: T): void {
    this.byToken.set(token, holder);
    if (this.byToken.size <= this.maxSize) return;
    const [oldest] = this.byToken;
    if (oldest) this.forget(oldest[0], oldest[1]);
  }

  /** The holder of this exact token string, marked as heard from now; undefined if unknown. */
  touch(token: string, nowMs: number): T | undefined {
    const holder = this.byToken.get(token);
    if (!holder) return undefined;
    this.byToken.delete(token);
    holder.lastSeenMs = nowMs;
    this.byToken.set(token, holder);
    return holder;
  }

  /** Whether this exact token string is held (without marking it seen). */
  has(token: string): boolean {
    return this.byToken.has(token);
  }

  remove(token: string): void {
    const holder = this.byToken.get(token);
    if (holder) this.forget(token, holder);
  }

  clear(): void {
    for (const [token, holder] of this.byToken) this.forget(token, holder);
  }

  /** Forgets holders silent for longer than the timeout. */
  prune(nowMs: number, timeoutMs: number): void {
    for (const [token, holder] of this.byToken) {
      if (nowMs - holder.lastSeenMs <= timeoutMs) return;
      this.forget(token, holder);
    }
  }

  private forget(token: string, holder: T): void {
    this.byToken.delete(token);
    this.onForget(holder);
  }
}
