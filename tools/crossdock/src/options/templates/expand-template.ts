import { parseTemplate, PLACEHOLDER, type Placeholder } from './parse-template';
import { TemplateError } from './template-error';
import { valueOf, type TemplateValues } from './template-values';
import { validSet, type TemplateField } from './variables';

/** Where a template comes from, for errors: the project, the option and its field. */
export interface TemplateSite {
  readonly project: string;
  readonly option: string;
  readonly field: TemplateField;
}

/**
 * Checks a template without values: every placeholder must be one its field allows. Run
 * when options are read, before anything is built or pushed. Returns the placeholders.
 */
export function checkTemplate(site: TemplateSite, template: string): readonly Placeholder[] {
  const parsed = parseTemplate(template, site.field);
  if ('unknown' in parsed)
    throw new TemplateError(
      site.project,
      site.option,
      template,
      'unknown',
      `${parsed.unknown.text} is not a template variable of ${site.option}; valid: ${validSet(site.field)}`,
    );
  return parsed.placeholders;
}

/**
 * Expands a template: each `{variable}` by its value, each `{env.NAME}` by the environment
 * (an error when unset, unless `{env.NAME:-default}` gives one). Pure: the values and the
 * environment are arguments.
 */
export function expandTemplate(
  site: TemplateSite,
  template: string,
  values: TemplateValues,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const placeholders = checkTemplate(site, template);
  let next = 0;
  // One pass over the template: a value is never scanned for placeholders itself.
  return template.replace(PLACEHOLDER, () =>
    valueFor(site, template, placeholders[next++]!, values, env),
  );
}

function valueFor(
  site: TemplateSite,
  template: string,
  placeholder: Placeholder,
  values: TemplateValues,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (placeholder.kind === 'env') {
    const set = env[placeholder.name];
    if (set !== undefined) return set;
    if (placeholder.fallback !== undefined) return placeholder.fallback;
    throw new TemplateError(
      site.project,
      site.option,
      template,
      'unset-env',
      `the environment variable ${placeholder.name} is not set; set it, or give a default: {env.${placeholder.name}:-value}`,
    );
  }
  const got = valueOf(values, placeholder.name);
  if (typeof got === 'string') return got;
  throw new TemplateError(
    site.project,
    site.option,
    template,
    'unavailable',
    `${placeholder.text} has no value: ${got.unavailable}`,
  );
}
