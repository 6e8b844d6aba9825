/**
 * DockerfileSyntaxError is a Dockerfile that cannot be parsed; it names the file and the
 * 1-based line, like `Dockerfile:3: RUN before the first FROM ...`.
 */
export class DockerfileSyntaxError extends Error {
  override readonly name = 'DockerfileSyntaxError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${file}:${line}: ${reason}`, options);
  }
}

/**
 * DockerfileModelError is a model value that cannot be rendered to a valid Dockerfile; `at`
 * names where in the model it is, e.g. `stages[1].instructions[0]`.
 */
export class DockerfileModelError extends Error {
  override readonly name = 'DockerfileModelError';

  constructor(
    readonly at: string,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${at}: ${reason}`, options);
  }
}
