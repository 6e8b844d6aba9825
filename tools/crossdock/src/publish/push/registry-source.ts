/** The environment variable naming the registry when no --registry flag is given. */
export const REGISTRY_ENV = 'CROSSDOCK_REGISTRY';

/** Where a registry may come from besides the --registry flag. */
export interface RegistrySources {
  /** The environment, for CROSSDOCK_REGISTRY. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The project's `registry` option (nx.json plugin options or project.json). */
  readonly option?: string;
}

/**
 * The registry of a push, merge or resolve: the flag, then `CROSSDOCK_REGISTRY`, then the
 * `registry` option; an empty value counts as not given. `nx release publish` owns
 * --registry (npm's), so a release takes the registry from the environment or the option.
 * Pure.
 */
export function chooseRegistry(
  flag: string | undefined,
  sources: RegistrySources,
): string | undefined {
  for (const value of [flag, sources.env?.[REGISTRY_ENV], sources.option])
    if (value !== undefined && value.trim() !== '') return value.trim();
  return undefined;
}
