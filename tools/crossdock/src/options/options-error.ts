import { CrossdockError } from '../support/crossdock-error';

/** A bad crossdock option: names the project, the option and what is accepted. */
export class OptionsError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly option: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${project}: option "${option}" ${detail}`, options);
    this.name = 'OptionsError';
  }
}
