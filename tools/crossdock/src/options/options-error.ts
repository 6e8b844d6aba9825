/** A bad crossdock option: names the project, the option and what is accepted. */
export class OptionsError extends Error {
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
