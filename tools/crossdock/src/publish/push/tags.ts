import { isTag } from '@crossdock/registry';
import type { CrossdockOptions } from '../../options/normalize-options';
import { expandTemplate } from '../../options/templates/expand-template';
import { projectValues } from '../../options/templates/project-values';
import { TemplateError } from '../../options/templates/template-error';
import type { TemplateValues } from '../../options/templates/template-values';
import type { Runner } from '../../support/process/runner';

/** The tags of a push, and the templates that could not be expanded (with why). */
export interface ExpandedTags {
  readonly tags: readonly string[];
  readonly skipped: readonly { readonly template: string; readonly reason: string }[];
}

/** What a tag may be, for messages. */
export const TAG_RULE =
  "letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters";

/**
 * Expands tag templates (`latest`, `{commit}`, `v{major}.{minor}`, `{env.CHANNEL}`, ...)
 * into registry tags, in order and without duplicates. A template whose value is not there
 * (`{commit}` outside git) is skipped and reported; an unknown variable, an unset
 * environment variable or a result that is not a valid tag is a TemplateError naming the
 * project and the template. Pure.
 */
export function expandTags(
  project: string,
  templates: readonly string[],
  values: TemplateValues,
  env: Readonly<Record<string, string | undefined>> = {},
): ExpandedTags {
  const tags: string[] = [];
  const skipped: { template: string; reason: string }[] = [];
  const site = { project, option: 'tags', field: 'tags' } as const;
  for (const template of templates) {
    let tag: string;
    try {
      tag = expandTemplate(site, template, values, env);
    } catch (error) {
      if (error instanceof TemplateError && error.reason === 'unavailable') {
        skipped.push({ template, reason: error.message.replace(/^.*? has no value: /, '') });
        continue;
      }
      throw error;
    }
    if (!isTag(tag))
      throw new TemplateError(
        project,
        'tags',
        template,
        'invalid',
        `gives "${tag}", not a valid tag (${TAG_RULE})`,
      );
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, skipped };
}

/** The tags of a project's push or merge: its tag templates with its version and git data. */
export async function projectTags(
  runner: Runner,
  workspaceRoot: string,
  project: string,
  options: Pick<CrossdockOptions, 'tags' | 'version'>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ExpandedTags> {
  const values = await projectValues(runner, {
    workspaceRoot,
    project,
    version: options.version,
    uses: [{ field: 'tags', templates: options.tags }],
    env,
  });
  return expandTags(project, options.tags, values, env);
}
