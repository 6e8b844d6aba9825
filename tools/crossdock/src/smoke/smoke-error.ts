import { CrossdockError } from '../support/crossdock-error';

/** A smoke run that could not be set up or did not pass: names the project, the platform and what to do. */
export class SmokeError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly platform: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmokeError';
  }
}
