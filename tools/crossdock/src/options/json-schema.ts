import type { OptionKind, OptionSpec } from './option-specs';

/** One property of an executor's JSON schema (the subset Nx reads: type, items, enum, description). */
export type JsonSchemaProperty = Readonly<Record<string, unknown>>;

const TYPE_OF_KIND: Record<OptionKind, JsonSchemaProperty> = {
  string: { type: 'string' },
  'string[]': { type: 'array', items: { type: 'string' } },
  record: { type: 'object', additionalProperties: { type: 'string' } },
  boolean: { type: 'boolean' },
  number: { type: 'number' },
  'number[]': { type: 'array', items: { type: 'number' } },
};

/**
 * The JSON schema property of one crossdock option. No `default`: Nx would fill it into the
 * options and hide which layer (nx.json, project.json, command line) set a value; defaults
 * are applied by normalizeOptions from the same table, so they stay in one place.
 */
export function optionJsonSchema(spec: OptionSpec): JsonSchemaProperty {
  return {
    ...TYPE_OF_KIND[spec.kind],
    ...(spec.oneOf ? { enum: [...spec.oneOf] } : {}),
    description: spec.description,
  };
}
