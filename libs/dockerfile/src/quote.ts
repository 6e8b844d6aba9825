import { DockerfileModelError } from './errors';

/**
 * Quoting and value checks for rendering. Every check throws DockerfileModelError naming
 * where in the model the value is, what it is, and what is allowed.
 */

const show = (value: string): string => JSON.stringify(value);

/** dq quotes a value for ENV, LABEL and ARG: double quotes, with `"` and `\` escaped. */
export function dq(value: string, at: string): string {
  checkOneLine(value, at);
  return `"${value.replace(/[\\"]/gu, (c) => `\\${c}`)}"`;
}

/** shq quotes a value for `sh -c` in double quotes; `$` stays live so `${TARGETVARIANT#v}` expands. */
export function shq(value: string, at: string): string {
  checkOneLine(value, at);
  return `"${value.replace(/[\\"`]/gu, (c) => `\\${c}`)}"`;
}

/** execForm renders a JSON array as in `ENTRYPOINT ["/app", "serve"]`. */
export function execForm(args: readonly string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

const SAFE_BARE = /^[A-Za-z0-9_.,:/@+%=${}~-]+$/u;

/** maybeDq leaves a plain word bare (`1.22`, `$BUILDPLATFORM`) and quotes anything else. */
export function maybeDq(value: string, at: string): string {
  return SAFE_BARE.test(value) ? value : dq(value, at);
}

/** checkOneLine rejects a value holding a line break, which no Dockerfile value can carry. */
export function checkOneLine(value: string, at: string): void {
  if (/[\r\n]/u.test(value)) {
    throw new DockerfileModelError(
      at,
      `${show(value)} holds a line break; Dockerfile values must fit on one line`,
    );
  }
}

/** checkWord requires a non-empty value without whitespace, quotes or backslashes (flag values, images, users). */
export function checkWord(value: string, what: string, at: string): void {
  if (value === '' || /[\s"'\\]/u.test(value)) {
    throw new DockerfileModelError(
      at,
      `${what} ${show(value)} must be non-empty, without whitespace, quotes or backslashes`,
    );
  }
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/u;

/** checkVarName requires a portable variable name for ENV, ARG and RUN env: `[A-Za-z_][A-Za-z0-9_]*`. */
export function checkVarName(name: string, what: string, at: string): void {
  if (!VAR_NAME.test(name)) {
    throw new DockerfileModelError(
      at,
      `${what} name ${show(name)} is not valid: use letters, digits and "_", not starting with a digit`,
    );
  }
}

/** labelKey renders a LABEL key, quoting it unless it is a plain `a.b/c-d` word; `=` is not allowed. */
export function labelKey(key: string, at: string): string {
  if (key === '' || key.includes('=')) {
    throw new DockerfileModelError(at, `label key ${show(key)} must be non-empty and hold no "="`);
  }
  return /^[A-Za-z0-9._/-]+$/u.test(key) ? key : dq(key, at);
}

/** sortedEntries returns a record's entries sorted by key (code-unit order), so the text is stable. */
export function sortedEntries(
  record: Readonly<Record<string, string>>,
): readonly (readonly [string, string])[] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
