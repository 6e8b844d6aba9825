import type { TargetConfiguration } from '@nx/devkit';
import type { CrossdockOptions } from '../../options/normalize-options';
import { userAnnotations } from '../../options/templates/annotation-keys';
import { usedNames } from '../../options/templates/parse-template';
import type { FieldTemplates } from '../../options/templates/project-values';
import { VERSION_VARIABLES, type TemplateVariable } from '../../options/templates/variables';

type Inputs = NonNullable<TargetConfiguration['inputs']>;

/**
 * The git data behind each git variable, as a command whose output changes exactly when the
 * value does: run in the workspace, it prints no path, user, host or time of this machine.
 */
const GIT_INPUTS: Readonly<Partial<Record<TemplateVariable, string>>> = {
  commit: 'git rev-parse HEAD 2>/dev/null || echo no-git',
  fullCommit: 'git rev-parse HEAD 2>/dev/null || echo no-git',
  commitDate: 'git log -1 --format=%ct HEAD 2>/dev/null || echo no-git',
  commitTimestamp: 'git log -1 --format=%ct HEAD 2>/dev/null || echo no-git',
  branch: 'git rev-parse --abbrev-ref HEAD 2>/dev/null || echo no-git',
  tag: 'git tag --points-at HEAD --sort=-version:refname 2>/dev/null | head -n 1',
  treeState: 'test -z "$(git status --porcelain 2>/dev/null)" && echo clean || echo dirty',
};

/**
 * The inputs that stand for the templated values of a target: a runtime input per git
 * variable used and an env input per `{env.NAME}`, so a `{commit}` in the ldflags rebuilds
 * on a new commit while a tag template (push, never cached) adds nothing. `{version}` and
 * its parts bring in what the version template uses. The templates themselves, `{project}`
 * and the platform are in the target's configuration, which Nx hashes.
 */
export function templateInputs(version: string, uses: readonly FieldTemplates[]): Inputs {
  const variables = new Set<TemplateVariable>();
  const env = new Set<string>();
  const add = (names: ReturnType<typeof usedNames>) => {
    for (const name of names.variables) variables.add(name);
    for (const name of names.env) env.add(name);
  };
  for (const { field, templates } of uses) add(usedNames(templates, field));
  if (VERSION_VARIABLES.some((name) => variables.has(name))) add(usedNames([version], 'version'));
  const commands = new Set<string>();
  for (const name of variables) {
    const command = GIT_INPUTS[name];
    if (command) commands.add(command);
  }
  return [
    ...[...commands].sort().map((runtime) => ({ runtime })),
    ...[...env].sort().map((name) => ({ env: name })),
  ];
}

/** The inputs of a compile: what its ldflags (and the version they stamp) are made from. */
export function compileTemplateInputs(options: CrossdockOptions): Inputs {
  return templateInputs(options.version, [{ field: 'ldflags', templates: options.ldflags }]);
}

/** The inputs of an image beyond its binaries': the version label, labels and annotations. */
export function imageTemplateInputs(options: CrossdockOptions): Inputs {
  return templateInputs(options.version, [
    // The version label: always there.
    { field: 'labels', templates: ['{version}', ...Object.values(options.labels)] },
    {
      field: 'platform',
      templates: userAnnotations('', options.annotations).map((a) => a.template),
    },
  ]);
}
