import { ARCHITECTURE_ALIASES, OS_ALIASES, lookup } from './aliases';
import { REJECTED_ARCHITECTURES, SUPPORTED_ARCHITECTURES } from './architectures';
import { PlatformError } from './errors';
import { GO_PORTS } from './go-ports';

/**
 * The components of a platform string as written (trimmed, lower case), before aliases
 * are applied or anything is checked. `architecture` is '' when the string names only an
 * operating system (`linux`).
 */
export interface PlatformSpecifier {
  readonly os?: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** The shapes a platform string may take, listed by format errors. */
export const PLATFORM_FORMS: readonly string[] = Object.freeze([
  'os/architecture',
  'os/architecture/variant',
  'architecture',
  'architecture/variant',
]);

const COMPONENT = /^[a-z0-9._-]+$/;
const VARIANT_LIKE = /^v?\d+(\.\d+)?$/;

/** Whether a (lower-case) word is an operating system Go knows, or an alias of one. */
export function isKnownOs(word: string): boolean {
  return lookup(GO_PORTS, word) !== undefined || lookup(OS_ALIASES, word) !== undefined;
}

function isKnownArchitecture(word: string): boolean {
  return (
    SUPPORTED_ARCHITECTURES.includes(word) ||
    lookup(ARCHITECTURE_ALIASES, word) !== undefined ||
    lookup(REJECTED_ARCHITECTURES, word) !== undefined
  );
}

/**
 * Splits a platform string into its components: the syntax step of parsePlatform, with no
 * aliases and no support checks. Input is trimmed and lower-cased. Two components are
 * os/architecture when the first is an operating system, and architecture/variant when the
 * first is an architecture or the second looks like a variant (`arm64/v8`, `arm/7`).
 * Throws PlatformError (component 'format') for an empty string, an empty component, more
 * than three components, or characters other than letters, digits, '.', '_' and '-'.
 */
export function splitPlatform(input: string): PlatformSpecifier {
  const fail = (reason: string): PlatformError =>
    new PlatformError(String(input), 'format', reason, PLATFORM_FORMS);
  if (typeof input !== 'string') {
    throw fail(`expected a string such as linux/amd64, got ${typeof input}`);
  }
  const text = input.trim().toLowerCase();
  if (text === '') {
    throw fail('it is empty; write os/architecture[/variant], e.g. linux/amd64');
  }
  const parts = text.split('/');
  if (parts.length > 3) {
    throw fail(
      `it has ${parts.length} components; a platform has at most three: os/architecture/variant`,
    );
  }
  parts.forEach((part, index) => {
    if (part === '') {
      throw fail(
        `component ${index + 1} of ${parts.length} is empty; write os/architecture[/variant], e.g. linux/arm/v7`,
      );
    }
    if (!COMPONENT.test(part)) {
      throw fail(
        `component ${JSON.stringify(part)} may contain only letters, digits, ".", "_" and "-"`,
      );
    }
  });
  const [first, second, third] = parts as [string, string?, string?];
  if (third !== undefined) {
    return { os: first, architecture: second as string, variant: third };
  }
  if (second !== undefined) {
    const archFirst =
      !isKnownOs(first) && (isKnownArchitecture(first) || VARIANT_LIKE.test(second));
    return archFirst
      ? { architecture: first, variant: second }
      : { os: first, architecture: second };
  }
  return isKnownOs(first) ? { os: first, architecture: '' } : { architecture: first };
}
