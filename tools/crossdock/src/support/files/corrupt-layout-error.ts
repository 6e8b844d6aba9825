import { CrossdockError } from '../crossdock-error';

/**
 * A project's image layout (dist/images/<project>) whose blobs are missing or do not match
 * their digests, found while smoke or push read it. Names the project, the layout and the fix.
 */
export class CorruptLayoutError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly layoutDir: string,
    cause: Error,
  ) {
    super(
      `${project}: the image layout ${layoutDir} is corrupt: ${cause.message}; rebuild it: nx run ${project}:image --skip-nx-cache`,
      { cause },
    );
    this.name = 'CorruptLayoutError';
  }
}
