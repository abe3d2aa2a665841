import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";

// Failed sign-ins are counted per account and per address over a 15-minute window; past the
// limit every attempt is refused, right or wrong, until the window moves on. Counting only
// failures means a person who types their password right is never slowed down.

const windowSeconds = 15 * 60;

export class LoginThrottle {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(limits: { failuresPerAccount: number; failuresPerAddress: number }) {
    this.byAccount = new RateLimiterMemory({ points: limits.failuresPerAccount, duration: windowSeconds });
    this.byAddress = new RateLimiterMemory({ points: limits.failuresPerAddress, duration: windowSeconds });
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  async blockedForSeconds(account: string, address: string): Promise<number> {
    const [forAccount, forAddress] = await Promise.all([this.byAccount.get(account), this.byAddress.get(address)]);
    let seconds = 0;
    if (forAccount && forAccount.remainingPoints <= 0) seconds = Math.ceil(forAccount.msBeforeNext / 1000);
    if (forAddress && forAddress.remainingPoints <= 0) {
      seconds = Math.max(seconds, Math.ceil(forAddress.msBeforeNext / 1000));
    }
    return seconds;
  }

  async noteFailure(account: string, address: string): Promise<void> {
    // penalty() adds points without rejecting when the limit is passed (consume() would throw).
    await Promise.all([this.byAccount.penalty(account, 1), this.byAddress.penalty(address, 1)]);
  }

  async noteSuccess(account: string): Promise<void> {
    await this.byAccount.delete(account);
  }
}
