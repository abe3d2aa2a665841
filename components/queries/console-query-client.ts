import {
  type DefaultError,
  type DefaultedQueryObserverOptions,
  type Query,
  QueryClient,
  type QueryKey,
  type QueryObserverOptions,
} from "@tanstack/react-query";
import { backoffDelayMs } from "./poll-backoff";

// The console's QueryClient: every query that polls (refetchInterval, a number from
// intervals.ts) polls at that pace while it succeeds and backs off while it fails. Done here,
// where options are defaulted, so that no hook (present or future) can poll a failing server
// at full speed.

type Pace = { errorsAtLastSuccess: number; streak: number; delayMs: number };
const paces = new WeakMap<object, Pace>();

/**
 * The wait before a query's next poll: its healthy pace, or the back-off for the number of
 * fetches that failed since its last success. The jittered wait is drawn once per failure and
 * kept: react-query asks again on every render and restarts the timer whenever the answer
 * changes, so a fresh draw each time would keep pushing the next poll away.
 */
export function pollDelayMs(
  query: { state: Pick<Query["state"], "status" | "errorUpdateCount"> },
  healthyMs: number,
  random: () => number = Math.random,
): number {
  const { status, errorUpdateCount } = query.state;
  const pace = paces.get(query) ?? { errorsAtLastSuccess: 0, streak: 0, delayMs: healthyMs };
  if (status === "success") pace.errorsAtLastSuccess = errorUpdateCount;
  const streak = errorUpdateCount - pace.errorsAtLastSuccess;
  if (streak !== pace.streak) {
    pace.streak = streak;
    pace.delayMs = streak > 0 ? Math.max(healthyMs, backoffDelayMs(streak, random)) : healthyMs;
  }
  paces.set(query, pace);
  return streak > 0 ? pace.delayMs : healthyMs;
}

/** One function per healthy pace, so defaulted options compare equal from render to render. */
const pacers = new Map<number, (query: Query) => number>();
function pacer(healthyMs: number): (query: Query) => number {
  let paced = pacers.get(healthyMs);
  if (!paced) {
    paced = (query: Query) => pollDelayMs(query, healthyMs);
    pacers.set(healthyMs, paced);
  }
  return paced;
}

export class ConsoleQueryClient extends QueryClient {
  override defaultQueryOptions<
    TQueryFnData = unknown,
    TError = DefaultError,
    TData = TQueryFnData,
    TQueryData = TQueryFnData,
    TQueryKey extends QueryKey = QueryKey,
    TPageParam = never,
  >(
    options:
      | QueryObserverOptions<TQueryFnData, TError, TData, TQueryData, TQueryKey, TPageParam>
      | DefaultedQueryObserverOptions<TQueryFnData, TError, TData, TQueryData, TQueryKey>,
  ): DefaultedQueryObserverOptions<TQueryFnData, TError, TData, TQueryData, TQueryKey> {
    const defaulted = super.defaultQueryOptions(options);
    const every = defaulted.refetchInterval;
    if (defaulted === options || typeof every !== "number" || every <= 0) return defaulted;
    return { ...defaulted, refetchInterval: pacer(every) as unknown as typeof every };
  }
}
