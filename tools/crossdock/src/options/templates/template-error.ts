import { OptionsError } from '../options-error';

/** Why a template could not give a value. */
export type TemplateErrorReason = 'unknown' | 'unavailable' | 'unset-env' | 'invalid';

/**
 * A template that names an unknown variable, an unset environment variable, a value that is
 * not there (no git), or that gives an invalid tag or label: names the project, the option,
 * the template and what is valid. One line.
 */
export class TemplateError extends OptionsError {
  constructor(
    project: string,
    option: string,
    readonly template: string,
    readonly reason: TemplateErrorReason,
    detail: string,
  ) {
    super(project, option, `has the template "${template}": ${detail}`);
    this.name = 'TemplateError';
  }
}
