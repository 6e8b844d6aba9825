import { CrossdockError } from '../../support/crossdock-error';

/** A base image that cannot be used: unreachable, malformed, or missing a platform. Names the project and the base. */
export class BaseImageError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly base: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${project}: base image ${base}: ${detail}`, options);
    this.name = 'BaseImageError';
  }
}
