import type { CrossdockOptions } from '../options/normalize-options';
import { userAnnotations } from '../options/templates/annotation-keys';
import { expandTemplate } from '../options/templates/expand-template';
import { projectValues, withPlatform } from '../options/templates/project-values';
import type { TemplateValues } from '../options/templates/template-values';
import type { Runner } from '../support/process/runner';

/** The user annotations of an image, expanded: the index's, and each platform's manifest's (in platform order). */
export interface ExpandedAnnotations {
  readonly index: Readonly<Record<string, string>>;
  readonly manifests: readonly Readonly<Record<string, string>>[];
}

/** The image's templated options, expanded: the version, the labels and the user annotations. */
export interface ImageTemplates {
  readonly version: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: ExpandedAnnotations;
}

/**
 * Expands the version, label and annotation templates of an image (git data of the commit
 * checked out, the environment; `{os}`, `{arch}`, `{variant}` on manifest: annotations).
 * The image target declares exactly this git and environment data as inputs.
 */
export async function expandImageTemplates(
  runner: Runner,
  workspaceRoot: string,
  project: string,
  options: CrossdockOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ImageTemplates> {
  const values = await projectValues(runner, {
    workspaceRoot,
    project,
    version: options.version,
    needVersion: true,
    uses: [
      { field: 'labels', templates: Object.values(options.labels) },
      { field: 'platform', templates: Object.values(options.annotations) },
    ],
    env,
  });
  const labels = Object.fromEntries(
    Object.entries(options.labels).map(([key, template]) => [
      key,
      expandTemplate({ project, option: 'labels', field: 'labels' }, template, values, env),
    ]),
  );
  return {
    version: values.version as string,
    labels,
    annotations: expandAnnotations(project, options, values, env),
  };
}

/** The user annotations for the index and each platform's manifest (exported for the CI merge). */
export function expandAnnotations(
  project: string,
  options: Pick<CrossdockOptions, 'annotations' | 'platforms'>,
  values: TemplateValues,
  env: Readonly<Record<string, string | undefined>>,
): ExpandedAnnotations {
  const index: Record<string, string> = {};
  const manifests = options.platforms.map(() => ({}) as Record<string, string>);
  for (const annotation of userAnnotations(project, options.annotations)) {
    if (annotation.target !== 'manifest')
      index[annotation.key] = expandTemplate(
        { project, option: 'annotations', field: 'annotations' },
        annotation.template,
        values,
        env,
      );
    if (annotation.target === 'index') continue;
    for (const [i, platform] of options.platforms.entries())
      manifests[i]![annotation.key] = expandTemplate(
        { project, option: 'annotations', field: 'platform' },
        annotation.template,
        withPlatform(values, platform),
        env,
      );
  }
  return { index, manifests };
}
