import type { Descriptor } from './descriptor';
import { isDigest } from './digest';
import { ImageModelError } from './errors';

/** A parsed JSON object, before its shape is checked. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Parses UTF-8 JSON that must be an object; `source` names it in errors. */
export function parseJsonObject(bytes: Uint8Array, source: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ImageModelError(
      `${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ImageModelError(`${source} is not a JSON object`);
  return deepFreeze(value) as JsonObject;
}

/** Freezes a parsed JSON value and everything in it, so a model value cannot be changed. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** Checks that `value` has the shape of an OCI descriptor; `where` names it in errors. */
export function checkDescriptor(value: unknown, where: string): Descriptor {
  if (value === null || typeof value !== 'object')
    throw new ImageModelError(`${where} is not a descriptor object`);
  const d = value as Record<string, unknown>;
  if (typeof d.mediaType !== 'string') throw new ImageModelError(`${where} has no mediaType`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest))
    throw new ImageModelError(
      `${where} has digest ${JSON.stringify(d.digest)}; expected sha256:<64 hex>`,
    );
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
    throw new ImageModelError(
      `${where} has size ${JSON.stringify(d.size)}; expected a non-negative integer`,
    );
  return value as Descriptor;
}
