import { RegistryError } from './errors';

/** How often and how long a failed request is tried again. */
export interface RetryPolicy {
  /** Attempts in total, the first one included (1 = never retry). */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubled (times `factor`) for each further one. */
  readonly initialDelayMs: number;
  /** Upper bound of one delay, Retry-After included. */
  readonly maxDelayMs: number;
  /** Upper bound of the time spent on one operation, retries and delays included. */
  readonly maxElapsedMs: number;
  /** Growth of the delay between attempts. */
  readonly factor: number;
}

/** The retry policy used when the caller sets none. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
  factor: 2,
};

/** What the retry loop reports before sleeping. */
export interface RetryNotice {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: RegistryError;
}

/**
 * The delay before retry number `attempt` (1-based): exponential backoff with "full
 * jitter" between half and all of the step, or the registry's Retry-After when it asked
 * for longer, never more than `maxDelayMs`. `random` is in [0, 1). Pure.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
  const jittered = step / 2 + (step / 2) * random;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/**
 * Milliseconds a Retry-After header asks to wait: delta-seconds or an HTTP date relative
 * to `now`. Undefined when absent or unreadable. Pure.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy's
 * attempts or time run out. `attempt` must be safe to run again: an idempotent request,
 * or a whole upload session started over from its POST. The final error records the
 * number of attempts.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  onRetry?: (notice: RetryNotice) => void,
): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof RegistryError) || !error.retryable) throw error;
      const delayMs = backoffDelay(policy, n, error.retryAfterMs, Math.random());
      const outOfTime = Date.now() - started + delayMs > policy.maxElapsedMs;
      if (n >= policy.maxAttempts || outOfTime) throw error.withAttempts(n);
      onRetry?.({ attempt: n, delayMs, error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
