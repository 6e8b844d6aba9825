import type { Platform } from '@crossdock/platform';
import { expandTemplate } from '../../options/templates/expand-template';
import { projectValues, withPlatform } from '../../options/templates/project-values';
import type { Runner } from '../../support/process/runner';

/** The version and linker flags of one platform's compile, templates expanded. */
export interface ExpandedLdflags {
  readonly version: string;
  readonly ldflags: readonly string[];
}

/**
 * Expands the ldflags (and the version they may stamp) for one platform: git data of the
 * commit checked out, the environment, `{os}`/`{arch}`/`{variant}`. The compile targets
 * declare exactly these git and environment data as inputs (nodes/template-inputs).
 */
export async function expandLdflags(
  runner: Runner,
  request: {
    readonly workspaceRoot: string;
    readonly project: string;
    readonly platform: Platform;
    readonly version: string;
    readonly ldflags: readonly string[];
    readonly env: Readonly<Record<string, string | undefined>>;
  },
): Promise<ExpandedLdflags> {
  const values = withPlatform(
    await projectValues(runner, {
      workspaceRoot: request.workspaceRoot,
      project: request.project,
      version: request.version,
      uses: [{ field: 'ldflags', templates: request.ldflags }],
      env: request.env,
    }),
    request.platform,
  );
  const site = { project: request.project, option: 'ldflags', field: 'ldflags' } as const;
  return {
    version: typeof values.version === 'string' ? values.version : request.version,
    ldflags: request.ldflags.map((flag) => expandTemplate(site, flag, values, request.env)),
  };
}
