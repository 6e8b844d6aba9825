/**
 * The base of the plugin's own errors. Each subclass says what failed, where (the project,
 * option, platform or file it names) and what to do, in one line for bad input; `name` is
 * the subclass's. `instanceof CrossdockError` tells crossdock's errors from everything else.
 */
export class CrossdockError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrossdockError';
  }
}
