import { CrossdockError } from '../../support/crossdock-error';

/** The docker engine could not build: no usable docker CLI, a failed build, or an image docker got wrong. */
export class DockerEngineError extends CrossdockError {
  constructor(
    readonly project: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${project}: ${message}`, options);
    this.name = 'DockerEngineError';
  }
}
