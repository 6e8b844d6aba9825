/**
 * The store's health as the server sees it: the first failure prints one warning and opens
 * an outage, during which requests skip the store (a cache miss at once) except one probe
 * every `probeMs`; the first success after it prints one line saying the store is back.
 */
export interface StoreHealth {
  /** True when a request should try the store now. */
  shouldTry(): boolean;
  /** Records a failure of the store (a network error, a timeout, a 5xx). */
  failed(error: unknown): void;
  /** Records a success of the store. */
  succeeded(): void;
}

/** A {@link StoreHealth} that writes its two kinds of lines to `warn`. */
export function storeHealth(
  storeName: string,
  warn: (line: string) => void,
  probeMs = 30_000,
  now: () => number = Date.now,
): StoreHealth {
  let downSince: number | undefined;
  let lastTry = 0;
  return {
    shouldTry() {
      if (downSince === undefined) return true;
      if (now() - lastTry < probeMs) return false;
      lastTry = now();
      return true;
    },
    failed(error) {
      lastTry = now();
      if (downSince !== undefined) return;
      downSince = now();
      const reason = error instanceof Error ? error.message : String(error);
      warn(
        `warning: the cache store ${storeName} failed (${reason}); every request is a cache miss and nothing is stored until it answers again (checked every ${Math.round(probeMs / 1000)} s)`,
      );
    },
    succeeded() {
      if (downSince === undefined) return;
      downSince = undefined;
      warn(`the cache store ${storeName} answers again`);
    },
  };
}
