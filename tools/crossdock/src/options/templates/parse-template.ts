import { FIELD_VARIABLES, type TemplateField, type TemplateVariable } from './variables';

/** One `{...}` of a template: a named variable, or an environment variable with an optional default. */
export type Placeholder =
  | { readonly kind: 'variable'; readonly name: TemplateVariable; readonly text: string }
  | {
      readonly kind: 'env';
      readonly name: string;
      readonly fallback?: string;
      readonly text: string;
    };

/** A template that uses a placeholder its field does not know. */
export interface UnknownPlaceholder {
  readonly text: string;
}

/** One `{...}` of a template (global: use with matchAll or replace). */
export const PLACEHOLDER = /\{([^{}]*)\}/g;
const ENV = /^env\.([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * The placeholders of a template, in order, or the first one that `field` does not allow.
 * `{name}` is a variable, `{env.NAME}` an environment variable, `{env.NAME:-text}` one with
 * a default. Pure.
 */
export function parseTemplate(
  template: string,
  field: TemplateField,
): { placeholders: readonly Placeholder[] } | { unknown: UnknownPlaceholder } {
  const placeholders: Placeholder[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [text, inner] = match as unknown as [string, string];
    const env = ENV.exec(inner);
    if (env) {
      placeholders.push({
        kind: 'env',
        name: env[1]!,
        ...(env[2] !== undefined ? { fallback: env[2] } : {}),
        text,
      });
      continue;
    }
    if (!(FIELD_VARIABLES[field] as readonly string[]).includes(inner))
      return { unknown: { text } };
    placeholders.push({ kind: 'variable', name: inner as TemplateVariable, text });
  }
  return { placeholders };
}

/** Every variable and environment variable the templates use (for git look-ups and cache inputs). */
export function usedNames(
  templates: readonly string[],
  field: TemplateField,
): { variables: ReadonlySet<TemplateVariable>; env: ReadonlySet<string> } {
  const variables = new Set<TemplateVariable>();
  const env = new Set<string>();
  for (const template of templates) {
    const parsed = parseTemplate(template, field);
    if ('unknown' in parsed) continue;
    for (const p of parsed.placeholders) {
      if (p.kind === 'variable') variables.add(p.name);
      else env.add(p.name);
    }
  }
  return { variables, env };
}
