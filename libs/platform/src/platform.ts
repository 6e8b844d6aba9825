/**
 * A target platform as the OCI image spec names it: `os`, `architecture` and, where the
 * architecture has levels, `variant`. Platforms returned by this library are canonical
 * (see parsePlatform) and carry no `variant` key at all when there is none.
 */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Builds a frozen Platform, leaving `variant` out when it is empty or undefined. */
export function makePlatform(os: string, architecture: string, variant?: string): Platform {
  return Object.freeze(variant ? { os, architecture, variant } : { os, architecture });
}
