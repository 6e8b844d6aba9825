import { OptionsError } from '../options-error';

/** Where a user annotation goes: on the index and every manifest, or on one of them. */
export type AnnotationTarget = 'both' | 'index' | 'manifest';

/** A user annotation: its key without the prefix, where it goes, and its value template. */
export interface UserAnnotation {
  readonly key: string;
  readonly target: AnnotationTarget;
  readonly template: string;
}

const PREFIXED = /^(index|manifest):(.+)$/;

/**
 * The annotations option split by target: `index:key` only on the index, `manifest:key`
 * only on each platform's manifest (as buildx's --annotation does), a plain key on both.
 * An empty key, or another `word:` prefix, is an error. Pure.
 */
export function userAnnotations(
  project: string,
  annotations: Readonly<Record<string, string>>,
): readonly UserAnnotation[] {
  return Object.entries(annotations).map(([raw, template]) => {
    const prefixed = PREFIXED.exec(raw);
    const key = prefixed ? prefixed[2]! : raw;
    if (key.trim() === '' || /\s/.test(key) || /^[A-Za-z-]+(\[[^\]]*\])?:/.test(key))
      throw new OptionsError(
        project,
        'annotations',
        `has the key "${raw}": give a key such as org.opencontainers.image.vendor, optionally prefixed with index: or manifest: (no other prefix, no platform)`,
      );
    return { key, target: prefixed ? (prefixed[1] as AnnotationTarget) : 'both', template };
  });
}
