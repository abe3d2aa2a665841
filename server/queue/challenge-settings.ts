// The proof-of-work difficulty's bounds (a room's `challengeDifficulty`): the largest counter
// a solver may have to try, SHA-256 once per try. Shared by the admin API, the console and the
// stores, so it lives below all of them (no server-only imports).

/**
 * Default: a mid-range phone tries 50-100k a second in a web worker (WebCrypto, measured in
 * e2e/challenge.spec.ts on this project's Chromium), so half of 50,000 on average takes it well
 * under a second, the longest draw about a second; a laptop a fraction of that.
 */
export const defaultChallengeDifficulty = 50_000;
/** Below this the challenge costs a script nothing. */
export const minChallengeDifficulty = 1_000;
/** Above this a phone works for a minute or more: no longer a check, a wall. */
export const maxChallengeDifficulty = 5_000_000;
