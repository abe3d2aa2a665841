import "server-only";

/**
 * The waiting line of one room, ordered by place (seq). Positions come from a Fenwick tree
 * over "is still waiting" flags, so position, the visitor at a position (random admission),
 * removal from the middle (expiry, leave, eviction) and taking the head are all O(log n)
 * with no scans. Seqs are handed out in increasing order; the window [base, base + size)
 * slides forward as the head moves.
 */
export class Line<T> {
  private base = 1;
  private tree = new Int32Array(1024);
  private items: (T | undefined)[] = new Array(1024);
  private headOffset = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  has(seq: number): boolean {
    const i = seq - this.base;
    return i >= 0 && i < this.items.length && this.items[i] !== undefined;
  }

  insert(seq: number, item: T): void {
    if (seq < this.base) this.rebase(seq);
    while (seq - this.base >= this.items.length) this.grow(seq);
    const i = seq - this.base;
    if (this.items[i] !== undefined) throw new Error(`seq ${seq} is already in line`);
    this.items[i] = item;
    this.add(i, 1);
    this.count++;
    if (i < this.headOffset) this.headOffset = i;
  }

  remove(seq: number): T | undefined {
    const i = seq - this.base;
    if (i < 0 || i >= this.items.length) return undefined;
    const item = this.items[i];
    if (item === undefined) return undefined;
    this.items[i] = undefined;
    this.add(i, -1);
    this.count--;
    return item;
  }

  /** 1-based place among those still waiting, or 0 when not in line. */
  position(seq: number): number {
    if (!this.has(seq)) return 0;
    return this.prefix(seq - this.base);
  }

  /** The one at this 1-based position, without removing it; undefined when out of range. */
  at(position: number): { seq: number; item: T } | undefined {
    if (!(position >= 1 && position <= this.count)) return undefined;
    // Fenwick descent: the largest prefix holding fewer than `position` people ends just
    // before the one we want.
    let index = 0;
    let remaining = position;
    for (let step = highestPowerOfTwo(this.tree.length); step > 0; step >>= 1) {
      const next = index + step;
      const inRange = this.tree[next - 1] ?? 0;
      if (next <= this.tree.length && inRange < remaining) {
        index = next;
        remaining -= inRange;
      }
    }
    const item = this.items[index];
    return item === undefined ? undefined : { seq: this.base + index, item };
  }

  /** First in line, without removing it. */
  peek(): { seq: number; item: T } | undefined {
    while (this.headOffset < this.items.length) {
      const item = this.items[this.headOffset];
      if (item !== undefined) return { seq: this.base + this.headOffset, item };
      this.headOffset++;
    }
    return undefined;
  }

  shift(): { seq: number; item: T } | undefined {
    const head = this.peek();
    if (head) this.remove(head.seq);
    if (this.headOffset > 4096 && this.headOffset > this.items.length / 2) this.compact();
    return head;
  }

  *[Symbol.iterator](): IterableIterator<{ seq: number; item: T }> {
    for (let i = this.headOffset; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined) yield { seq: this.base + i, item };
    }
  }

  private add(index: number, delta: number): void {
    for (let i = index + 1; i <= this.tree.length; i += i & -i) this.tree[i - 1] = (this.tree[i - 1] ?? 0) + delta;
  }

  private prefix(index: number): number {
    let sum = 0;
    for (let i = index + 1; i > 0; i -= i & -i) sum += this.tree[i - 1] ?? 0;
    return sum;
  }

  /**
   * Makes room for `seq`. The window also slides up to the first one still waiting: when
   * people leave from the middle (random admission never shifts the head) the space below
   * them would otherwise be kept for ever.
   */
  private grow(seq: number): void {
    const newBase = this.peek()?.seq ?? seq;
    this.rebuild(newBase, (seq - newBase + 1) * 2);
  }

  private compact(): void {
    this.rebuild(this.base + this.headOffset, this.items.length);
  }

  private rebase(seq: number): void {
    const shift = this.base - seq;
    this.rebuild(seq, Math.max(this.items.length, 1024) + shift);
  }

  private rebuild(newBase: number, minSize: number): void {
    const entries: { seq: number; item: T }[] = [...this];
    let size = 1024;
    const span = entries.length ? (entries[entries.length - 1]?.seq ?? newBase) - newBase + 1 : 0;
    while (size < Math.max(minSize, span * 2)) size *= 2;
    this.base = newBase;
    this.items = new Array(size);
    this.tree = new Int32Array(size);
    this.headOffset = 0;
    for (const { seq, item } of entries) this.items[seq - newBase] = item;
    // Linear-time Fenwick build from the flags.
    for (let i = 0; i < size; i++) {
      if (this.items[i] !== undefined) this.tree[i] = (this.tree[i] ?? 0) + 1;
      const parent = i + ((i + 1) & -(i + 1));
      if (parent < size) this.tree[parent] = (this.tree[parent] ?? 0) + (this.tree[i] ?? 0);
    }
  }
}

function highestPowerOfTwo(n: number): number {
  let power = 1;
  while (power * 2 <= n) power *= 2;
  return power;
}
