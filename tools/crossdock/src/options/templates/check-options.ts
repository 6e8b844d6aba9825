import { isTag } from '@crossdock/registry';
import { OptionsError } from '../options-error';
import { userAnnotations } from './annotation-keys';
import { checkTemplate } from './expand-template';
import { TemplateError } from './template-error';
import type { TemplateField } from './variables';

/** The templated options, as normalizeOptions has read them. */
export interface TemplatedOptions {
  readonly version: string;
  readonly tags: readonly string[];
  readonly ldflags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Checks every template of a project's options when they are read, before anything is
 * built or pushed: unknown variables, a tag without variables that is not a tag, a bad
 * label or annotation key. Values that depend on the environment or git are checked when
 * expanded (still before anything is pushed).
 */
export function checkOptionTemplates(project: string, options: TemplatedOptions): void {
  const check = (option: string, field: TemplateField, template: string) =>
    checkTemplate({ project, option, field }, template);
  check('version', 'version', options.version);
  for (const tag of options.tags) {
    if (check('tags', 'tags', tag).length === 0 && !isTag(tag))
      throw new TemplateError(
        project,
        'tags',
        tag,
        'invalid',
        "is not a valid tag (letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters)",
      );
  }
  for (const flag of options.ldflags) check('ldflags', 'ldflags', flag);
  for (const [key, value] of Object.entries(options.labels)) {
    if (key.trim() === '' || /[\s=]/.test(key))
      throw new OptionsError(project, 'labels', `has the key "${key}", not a label key`);
    check('labels', 'labels', value);
  }
  for (const annotation of userAnnotations(project, options.annotations))
    check(
      'annotations',
      annotation.target === 'manifest' ? 'platform' : 'annotations',
      annotation.template,
    );
}
