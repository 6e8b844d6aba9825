import { isTag } from '@crossdock/registry';
import { OptionsError } from '../../options/options-error';

/** Values the tag templates may use. `commit` is absent outside a git repository. */
export interface TagValues {
  /** The short commit of HEAD (`git rev-parse --short HEAD`). */
  readonly commit?: string;
  readonly version: string;
}

/** The tags of a push, and the templates that could not be expanded (with why). */
export interface ExpandedTags {
  readonly tags: readonly string[];
  readonly skipped: readonly { readonly template: string; readonly reason: string }[];
}

const TEMPLATE = /\{([^}]*)\}/g;

/**
 * Expands tag templates (`latest`, `{commit}`, `v{version}`, ...) into registry tags, in
 * order and without duplicates. A template naming `{commit}` outside git is skipped (and
 * reported); an unknown placeholder or a result that is not a valid tag is an
 * OptionsError naming the project and the template. Pure.
 */
export function expandTags(
  project: string,
  templates: readonly string[],
  values: TagValues,
): ExpandedTags {
  const tags: string[] = [];
  const skipped: { template: string; reason: string }[] = [];
  for (const template of templates) {
    let missing: string | undefined;
    const tag = template.replace(TEMPLATE, (_whole, name: string) => {
      if (name === 'version') return values.version;
      if (name === 'commit') {
        if (values.commit === undefined)
          missing = 'there is no git commit (the workspace is not a git repository)';
        return values.commit ?? '';
      }
      throw new OptionsError(
        project,
        'tags',
        `has "${template}" with the unknown placeholder {${name}}; use {commit} or {version}`,
      );
    });
    if (missing !== undefined) {
      skipped.push({ template, reason: missing });
      continue;
    }
    if (!isTag(tag)) {
      throw new OptionsError(
        project,
        'tags',
        `has "${template}", which gives "${tag}": not a valid tag (letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters)`,
      );
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, skipped };
}
