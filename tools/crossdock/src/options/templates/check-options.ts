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

/**
 * With `dockerfile: hermetic` one `go build` inside BuildKit serves every platform and
 * crossdock expands no template there: only `{version}` (a plain version) reaches its
 * ldflags. Any other template in version or ldflags is refused here, when options are read,
 * rather than reaching the linker as literal text.
 */
export function checkHermeticTemplates(
  project: string,
  options: Pick<TemplatedOptions, 'version' | 'ldflags'>,
): void {
  const fix =
    'with dockerfile: hermetic (one go build inside BuildKit serves every platform); use dockerfile: prebuilt for templates';
  if (checkTemplate({ project, option: 'version', field: 'version' }, options.version).length > 0)
    throw new OptionsError(
      project,
      'version',
      `is the template "${options.version}": not expanded ${fix}`,
    );
  for (const flag of options.ldflags) {
    const other = checkTemplate({ project, option: 'ldflags', field: 'ldflags' }, flag).find(
      (p) => !(p.kind === 'variable' && p.name === 'version'),
    );
    if (other !== undefined)
      throw new OptionsError(
        project,
        'ldflags',
        `has "${flag}": ${other.text} is not expanded ${fix} (only {version} is)`,
      );
  }
}
