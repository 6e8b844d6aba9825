import { OciError, type OciErrorOptions } from '@crossdock/oci';

/** A problem reading or writing an OCI image layout; `path` names the file or directory. */
export class OciLayoutError extends OciError {
  override readonly name: string = 'OciLayoutError';
  constructor(
    message: string,
    readonly path: string,
    options: OciErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A layout that failed validation; `problems` lists every problem found, not just the first. */
export class OciValidationError extends OciError {
  override readonly name: string = 'OciValidationError';
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(
      `OCI layout ${dir} is invalid (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** A problem extracting a layer into a root filesystem; `entry` is the tar entry name. */
export class RootfsError extends OciError {
  override readonly name: string = 'RootfsError';
  constructor(
    message: string,
    readonly entry: string,
    options: OciErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A problem reading or writing a `docker save` archive; `path` names the archive. */
export class DockerArchiveError extends OciError {
  override readonly name: string = 'DockerArchiveError';
  constructor(
    message: string,
    readonly path: string,
    options: OciErrorOptions = {},
  ) {
    super(message, options);
  }
}
