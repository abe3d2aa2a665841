import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

// Sign-in attempts are counted per account and per address over a 15-minute window. An attempt
// takes its point BEFORE the password is checked (consume is atomic within the process), so a
// burst sent at once gets no more password checks than the limits, however it is timed. A
// successful attempt gives its points back: a person who types their password right is never
// slowed down by their own sign-ins. Past the limit every attempt is refused, right or wrong,
// until the window moves on.
//
// The counters live in this process's memory: a restart clears them, and `npm run admin --
// reset-password` is the way to let a locked-out person in at once (see the README).

const windowSeconds = 15 * 60;

export type AttemptClaim =
  | {
      ok: true;
      /** Gives the attempt's points back (the password was right). */
      refund(): Promise<void>;
    }
  | { ok: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(limits: { failuresPerAccount: number; failuresPerAddress: number }) {
    this.byAccount = new RateLimiterMemory({ points: limits.failuresPerAccount, duration: windowSeconds });
    this.byAddress = new RateLimiterMemory({ points: limits.failuresPerAddress, duration: windowSeconds });
  }

  /**
   * Counts one attempt on the account and on the address, or refuses it when either is spent.
   * A refused attempt takes nothing: it costs no password check.
   */
  async claimAttempt(account: string, address: string): Promise<AttemptClaim> {
    let onAddress: Taken;
    try {
      onAddress = taken(this.byAddress, address, await this.byAddress.consume(address));
    } catch (rejection) {
      return refused(rejection, [taken(this.byAddress, address, rejection)]);
    }
    try {
      const onAccount = taken(this.byAccount, account, await this.byAccount.consume(account));
      return { ok: true, refund: () => giveBack([onAccount, onAddress]) };
    } catch (rejection) {
      return refused(rejection, [taken(this.byAccount, account, rejection), onAddress]);
    }
  }
}

/** One point taken from one counter, in the window it was taken in. */
type Taken = { limiter: RateLimiterMemory; key: string; windowEndsAtMs: number };

function taken(limiter: RateLimiterMemory, key: string, result: unknown): Taken {
  const msBeforeNext = result instanceof RateLimiterRes ? result.msBeforeNext : 0;
  return { limiter, key, windowEndsAtMs: Date.now() + msBeforeNext };
}

async function giveBack(points: Taken[]): Promise<void> {
  // A point taken in a window that has since ended is gone with it: given back into the next
  // window it would become an extra attempt there.
  const now = Date.now();
  await Promise.all(points.filter((p) => p.windowEndsAtMs > now).map((p) => p.limiter.reward(p.key, 1)));
}

async function refused(rejection: unknown, points: Taken[]): Promise<AttemptClaim> {
  // The memory limiter only rejects with a RateLimiterRes; anything else is a bug to surface.
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
  await giveBack(points);
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
}
