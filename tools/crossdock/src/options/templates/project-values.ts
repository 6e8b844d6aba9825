import type { Platform } from '@crossdock/platform';
import type { Runner } from '../../support/process/runner';
import { expandTemplate } from './expand-template';
import { gitValues } from './git-values';
import { usedNames } from './parse-template';
import { versionValues, type TemplateValues } from './template-values';
import { VERSION_VARIABLES, type TemplateField, type TemplateVariable } from './variables';

/** Templates of one field that an expansion will use. */
export interface FieldTemplates {
  readonly field: TemplateField;
  readonly templates: readonly string[];
}

/** What the values of one project's expansion are made from. */
export interface ProjectValuesRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The version option (itself a template of git and environment data). */
  readonly version: string;
  /** The templates that will be expanded: only the git data they (or the version) use is read. */
  readonly uses: readonly FieldTemplates[];
  /** Whether the version is needed even when no template names it (the version label). */
  readonly needVersion?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The values of a project's templates: the expanded version and its parts, `{project}`,
 * and the git data the templates name (read once). Platform values are added per
 * platform (withPlatform).
 */
export async function projectValues(
  runner: Runner,
  request: ProjectValuesRequest,
): Promise<TemplateValues> {
  const wanted = new Set<TemplateVariable>();
  for (const { field, templates } of request.uses)
    for (const name of usedNames(templates, field).variables) wanted.add(name);
  const versionUsed =
    request.needVersion === true || VERSION_VARIABLES.some((name) => wanted.has(name));
  if (versionUsed)
    for (const name of usedNames([request.version], 'version').variables) wanted.add(name);
  const git = await gitValues(runner, request.workspaceRoot, wanted);
  const version = versionUsed
    ? expandTemplate(
        { project: request.project, option: 'version', field: 'version' },
        request.version,
        { ...git, project: request.project },
        request.env,
      )
    : request.version;
  return { ...git, project: request.project, ...versionValues(version) };
}

/** The values with `{os}`, `{arch}` and `{variant}` (empty without one) of a platform. Pure. */
export function withPlatform(values: TemplateValues, platform: Platform): TemplateValues {
  return {
    ...values,
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? '',
  };
}
