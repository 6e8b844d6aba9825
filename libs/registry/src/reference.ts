/**
 * Image references (`[registry/]repository[:tag][@digest]`) parsed with the grammar of
 * distribution/reference, normalised the way Docker does for Docker Hub.
 */

/** A parsed, normalised image reference. A bare name gets the tag `latest`. */
export interface ImageReference {
  /** Registry host with optional port, e.g. `127.0.0.1:5000` or `docker.io`. */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `team/hello` or `library/hello`. */
  readonly repository: string;
  /** Tag; absent only when the reference names a digest and no tag. */
  readonly tag?: string;
  /** `sha256:<hex>` digest when the reference pins one. */
  readonly digest?: string;
}

/** Which part of a reference failed to parse. */
export type ReferencePart = 'reference' | 'registry' | 'repository' | 'tag' | 'digest';

/** A reference string that does not follow the OCI reference grammar. */
export class InvalidReferenceError extends Error {
  override readonly name = 'InvalidReferenceError';
  constructor(
    readonly input: string,
    readonly part: ReferencePart,
    detail: string,
  ) {
    super(`invalid image reference ${JSON.stringify(input)}: ${detail}`);
  }
}

/** The registry a reference without a host refers to (Docker Hub). */
export const DOCKER_HUB = 'docker.io';

/** The default tag of a reference that names neither a tag nor a digest. */
export const DEFAULT_TAG = 'latest';

// The grammar, as data. Sources: distribution/reference/regexp.go.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
const PATH_COMPONENT_RULE =
  '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)* (lowercase letters and digits, separated by ".", "_", "__" or dashes)';
const TAG = /^[\w][\w.-]{0,127}$/;
const TAG_RULE =
  '[\\w][\\w.-]{0,127} (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)';
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]{1,5}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

/**
 * Parses an image reference such as `127.0.0.1:5000/team/hello:v1`,
 * `hello@sha256:<hex>` or `hello` (→ `docker.io/library/hello:latest`).
 * Throws {@link InvalidReferenceError} naming the invalid part.
 */
export function parseReference(input: string): ImageReference {
  if (input.length === 0)
    throw new InvalidReferenceError(input, 'reference', 'the reference is empty');
  if (input !== input.trim())
    throw new InvalidReferenceError(
      input,
      'reference',
      'the reference has leading or trailing white space',
    );

  const at = input.indexOf('@');
  const digest = at >= 0 ? input.slice(at + 1) : undefined;
  const nameAndTag = at >= 0 ? input.slice(0, at) : input;
  if (digest !== undefined) checkDigest(input, digest);

  const { registry, remainder } = splitRegistry(input, nameAndTag);
  const colon = remainder.lastIndexOf(':');
  const tag = colon >= 0 ? remainder.slice(colon + 1) : undefined;
  const path = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (tag !== undefined && !TAG.test(tag)) {
    throw new InvalidReferenceError(
      input,
      'tag',
      `tag ${JSON.stringify(tag)} must match ${TAG_RULE}`,
    );
  }
  const repository = normaliseRepository(input, registry, path);
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    throw new InvalidReferenceError(
      input,
      'repository',
      `the name is longer than ${MAX_NAME_LENGTH} characters`,
    );
  }
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : digest === undefined ? { tag: DEFAULT_TAG } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Formats a reference back to its canonical string (`registry/repository[:tag][@digest]`). */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The manifest reference to use in the API: the digest when pinned, otherwise the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

/** Throws {@link InvalidReferenceError} unless `repository` is a valid repository path. */
export function checkRepository(repository: string): void {
  const components = repository.split('/');
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        repository,
        'repository',
        `repository path component ${JSON.stringify(component)} must match ${PATH_COMPONENT_RULE}`,
      );
    }
  }
}

/** True when `reference` is a valid tag (not a digest). */
export function isTag(reference: string): boolean {
  return TAG.test(reference);
}

function checkDigest(input: string, digest: string): void {
  if (SHA256_DIGEST.test(digest)) return;
  const detail = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/.test(
    digest,
  )
    ? `digest ${JSON.stringify(digest)} uses an unsupported algorithm or upper-case hex; crossdock supports sha256:<64 lowercase hex>`
    : `digest ${JSON.stringify(digest)} must be sha256:<64 lowercase hex>`;
  throw new InvalidReferenceError(input, 'digest', detail);
}

// Docker's rule: the first component is a registry when it has a "." or ":", or is
// "localhost"; anything else (including a bare name) lives on Docker Hub.
function splitRegistry(input: string, nameAndTag: string): { registry: string; remainder: string } {
  const slash = nameAndTag.indexOf('/');
  const first = slash >= 0 ? nameAndTag.slice(0, slash) : '';
  const isRegistry =
    slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.startsWith('['));
  if (!isRegistry) return { registry: DOCKER_HUB, remainder: nameAndTag };
  checkRegistry(input, first);
  const registry = first === 'index.docker.io' ? DOCKER_HUB : first;
  return { registry, remainder: nameAndTag.slice(slash + 1) };
}

function checkRegistry(input: string, registry: string): void {
  const invalid = (why: string): never => {
    throw new InvalidReferenceError(
      input,
      'registry',
      `registry ${JSON.stringify(registry)} ${why}`,
    );
  };
  const ipv6 = registry.startsWith('[');
  const close = ipv6 ? registry.indexOf(']') : -1;
  if (ipv6 && close < 0) invalid('opens "[" for an IPv6 address but never closes it');
  const host = ipv6 ? registry.slice(0, close + 1) : (registry.split(':')[0] ?? '');
  const rest = registry.slice(host.length);
  if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1))))
    invalid('must be host[:port] with a numeric port');
  if (ipv6) {
    if (!IPV6_HOST.test(host)) invalid('is not a valid [IPv6] address');
    return;
  }
  for (const component of host.split('.')) {
    if (!DOMAIN_COMPONENT.test(component))
      invalid(
        `has an invalid host component ${JSON.stringify(component)} (letters, digits and inner dashes)`,
      );
  }
}

function normaliseRepository(input: string, registry: string, path: string): string {
  if (path.length === 0)
    throw new InvalidReferenceError(input, 'repository', 'the repository name is empty');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        input,
        'repository',
        `repository path component ${JSON.stringify(component)} must match ${PATH_COMPONENT_RULE}`,
      );
    }
  }
  return registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
}
