/** Which part of a platform (or platform list) an input got wrong. */
export type PlatformComponent = 'os' | 'architecture' | 'variant' | 'format' | 'list';

/**
 * A platform string, Platform value or platform list that crossdock cannot use. The message
 * quotes the input, names the bad component and says what is valid, e.g.
 * `"linux/arm64x" is not a valid platform: architecture "arm64x" is not one of amd64, …`.
 */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  /** The input exactly as given; for a list, the list as a JSON array. */
  readonly input: string;
  /** The component at fault. */
  readonly component: PlatformComponent;
  /** What the component may be instead (canonical spellings). */
  readonly valid: readonly string[];
  /** The message without the quoted input: what is wrong and what to do. */
  readonly reason: string;

  constructor(
    input: string,
    component: PlatformComponent,
    reason: string,
    valid: readonly string[],
    options?: ErrorOptions,
  ) {
    const what = component === 'list' ? 'platform list' : 'platform';
    const quoted = component === 'list' ? input : JSON.stringify(input);
    super(`${quoted} is not a valid ${what}: ${reason}`, options);
    this.input = input;
    this.component = component;
    this.reason = reason;
    this.valid = Object.freeze([...valid]);
  }
}

/** The usual reason for a value outside a closed set: `architecture "x" is not one of a, b`. */
export function notOneOf(label: string, value: string, valid: readonly string[]): string {
  return `${label} ${JSON.stringify(value)} is not one of ${valid.join(', ')}`;
}
