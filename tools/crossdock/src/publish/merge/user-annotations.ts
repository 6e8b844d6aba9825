import { expandAnnotations } from '../../image/image-templates';
import type { CrossdockOptions } from '../../options/normalize-options';
import { userAnnotations } from '../../options/templates/annotation-keys';
import { projectValues } from '../../options/templates/project-values';
import type { Runner } from '../../support/process/runner';
import type { IndexAnnotationChanges } from './merge-index';

/**
 * What the CI merge changes in the annotations its manifests share, so the merged index is
 * the one a one-machine build writes: drops `manifest:` user annotations, adds the `index:`
 * ones, expanded with the same commit's values.
 */
export async function indexAnnotationChanges(
  runner: Runner,
  workspaceRoot: string,
  project: string,
  options: CrossdockOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<IndexAnnotationChanges> {
  const annotations = userAnnotations(project, options.annotations);
  const indexOnly = annotations.filter((a) => a.target === 'index');
  const manifestOnly = new Set(
    annotations.filter((a) => a.target === 'manifest').map((a) => a.key),
  );
  if (indexOnly.length === 0) return { manifestOnly, indexOnly: {} };
  const values = await projectValues(runner, {
    workspaceRoot,
    project,
    version: options.version,
    needVersion: true,
    uses: [{ field: 'annotations', templates: indexOnly.map((a) => a.template) }],
    env,
  });
  const expanded = expandAnnotations(
    project,
    { platforms: [], annotations: options.annotations },
    values,
    env,
  );
  return {
    manifestOnly,
    indexOnly: Object.fromEntries(indexOnly.map((a) => [a.key, expanded.index[a.key]!])),
  };
}
