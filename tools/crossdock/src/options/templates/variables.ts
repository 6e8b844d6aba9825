/**
 * The template variables of tags, ldflags, labels, annotations and the version option, and
 * which of them each kind of value may use. A value is per index (tags, index annotations,
 * labels), per platform (ldflags, manifest annotations) or the version itself.
 */

/** The version and its semantic-version parts. */
export const VERSION_VARIABLES = ['version', 'major', 'minor', 'patch', 'prerelease'] as const;

/**
 * Git data of the commit checked out: of the commit, never of the clock, so an output stays
 * reproducible. Each changes with a new commit (or tag, branch, working tree state).
 */
export const GIT_VARIABLES = [
  'commit',
  'fullCommit',
  'branch',
  'tag',
  'commitDate',
  'commitTimestamp',
  'treeState',
] as const;

/** The platform of a per-platform value (ldflags, manifest annotations). */
export const PLATFORM_VARIABLES = ['os', 'arch', 'variant'] as const;

/** A named template variable (`{env.NAME}` is the one family besides these). */
export type TemplateVariable =
  | (typeof VERSION_VARIABLES)[number]
  | (typeof GIT_VARIABLES)[number]
  | (typeof PLATFORM_VARIABLES)[number]
  | 'project';

/** What a templated value is, which decides the variables it may use. */
export type TemplateField = 'version' | 'tags' | 'labels' | 'ldflags' | 'annotations' | 'platform';

const COMMON: readonly TemplateVariable[] = [...VERSION_VARIABLES, ...GIT_VARIABLES, 'project'];

/** The variables each field may use, in documentation order (`{env.NAME}` is allowed everywhere). */
export const FIELD_VARIABLES: Readonly<Record<TemplateField, readonly TemplateVariable[]>> = {
  // The version is an input of its own parts: it cannot name them.
  version: [...GIT_VARIABLES, 'project'],
  tags: COMMON,
  labels: COMMON,
  annotations: COMMON,
  ldflags: [...COMMON, ...PLATFORM_VARIABLES],
  // Manifest annotations: one value per platform.
  platform: [...COMMON, ...PLATFORM_VARIABLES],
};

/** The valid set of a field as an error message lists it. */
export function validSet(field: TemplateField): string {
  return [...FIELD_VARIABLES[field], 'env.NAME', 'env.NAME:-default']
    .map((v) => `{${v}}`)
    .join(', ');
}
