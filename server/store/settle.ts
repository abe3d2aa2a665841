import "server-only";

// The caller's side of a queued store write: resolved once its commit is durable.

export type Settle<T> = { resolve: (value: T) => void; reject: (error: unknown) => void };

/** One settlement for two merged writes (removals coalesced into one commit). */
export function settleBoth(a: Settle<void>, b: Settle<void>): Settle<void> {
  return {
    resolve: () => {
      a.resolve();
      b.resolve();
    },
    reject: (error) => {
      a.reject(error);
      b.reject(error);
    },
  };
}
