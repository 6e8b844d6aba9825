import { OPTION_KEYS } from './option-specs';
import { normalizeOptions } from './normalize-options';
import { OptionsError } from './options-error';

/**
 * Options only the plugin entry of nx.json takes (they steer inference, not a project):
 * `include` and `exclude`, globs of main package directories.
 */
export const PLUGIN_ONLY_KEYS = ['include', 'exclude'] as const;

/** Where plugin options come from, as error messages name it. */
export const PLUGIN_OPTIONS_SOURCE = 'nx.json (plugin @crossdock/nx options)';

/**
 * Checks nx.json's plugin options once, before any project is made from them: an unknown key
 * or a bad value is one OptionsError (reported once, not once per project), whose list of
 * valid options includes the plugin-only ones.
 */
export function checkPluginOptions(options: Readonly<Record<string, unknown>>): void {
  const valid = [...PLUGIN_ONLY_KEYS, ...OPTION_KEYS];
  for (const key of Object.keys(options)) {
    if (!(valid as string[]).includes(key))
      throw new OptionsError(
        'nx.json',
        key,
        `in ${PLUGIN_OPTIONS_SOURCE} is not a crossdock option; valid options: ${valid.join(', ')}`,
      );
  }
  normalizeOptions('nx.json', [
    { source: PLUGIN_OPTIONS_SOURCE, values: projectDefaults(options) },
  ]);
}

/** The plugin options without the plugin-only ones: the defaults of every project's options. */
export function projectDefaults(
  options: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).filter(
      ([key]) => !(PLUGIN_ONLY_KEYS as readonly string[]).includes(key),
    ),
  );
}
