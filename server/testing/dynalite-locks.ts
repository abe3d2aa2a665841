// Which items are busy in the dynalite test front: held by a TransactWriteItems in flight, or
// being written by a plain write (PutItem, UpdateItem, DeleteItem, BatchWriteItem) that dynalite
// has not answered yet. DynamoDB's optimistic concurrency, as the front models it:
//
// - a transaction that names an item another transaction holds is cancelled (TransactionConflict);
// - a plain write on an item a transaction holds is refused (TransactionConflictException), or,
//   inside a BatchWriteItem, left unprocessed;
// - a transaction whose items have plain writes in flight waits for those to land before it
//   reads the items (DynamoDB serialises writes to one item), so it never overwrites them;
// - reads never wait and are never refused: they see each item as last written (read-committed).

export class ItemLocks {
  private readonly held = new Map<string, number>();
  private readonly writing = new Map<string, { count: number; drained: (() => void)[] }>();

  /** Holds every item for `owner`, or none: returns the items someone else held (then nothing is held). */
  claim(items: string[], owner: number): string[] {
    const taken = items.filter((item) => {
      const holder = this.held.get(item);
      return holder !== undefined && holder !== owner;
    });
    if (taken.length) return taken;
    for (const item of items) this.held.set(item, owner);
    return [];
  }

  release(items: string[], owner: number): void {
    for (const item of items) if (this.held.get(item) === owner) this.held.delete(item);
  }

  isHeld(item: string): boolean {
    return this.held.has(item);
  }

  /** A plain write of these items is on its way to dynalite; call the returned function once answered. */
  beginWrite(items: string[]): () => void {
    for (const item of items) {
      const entry = this.writing.get(item);
      if (entry) entry.count++;
      else this.writing.set(item, { count: 1, drained: [] });
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const item of items) {
        const entry = this.writing.get(item);
        if (!entry) continue;
        entry.count--;
        if (entry.count > 0) continue;
        this.writing.delete(item);
        for (const wake of entry.drained) wake();
      }
    };
  }

  /** Resolves once no plain write of these items is in flight (new ones are refused while held). */
  async writesLanded(items: string[]): Promise<void> {
    for (const item of items) {
      const entry = this.writing.get(item);
      if (entry) await new Promise<void>((resolve) => entry.drained.push(resolve));
    }
  }
}
