import type { CrossdockOptions } from '../options/normalize-options';
import { withBuiltBinaries } from './built-binaries';
import type { ContextStrategy } from './context-strategy';
import { collectGoSources, copyGoSources, type GoSources } from './go-sources';
import {
  CONTEXT_SOURCES,
  generateHermeticDockerfile,
  hermeticBuildOf,
} from './hermetic-dockerfile';
import type { Reporter } from '../support/report/reporter';

/** What a hermetic context needs to know about the project. */
export interface HermeticProject {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The project's root relative to the workspace root. */
  readonly projectRoot: string;
  /** Roots of the project and of the Go projects it imports: the sources copied into the context. */
  readonly sourceRoots: readonly string[];
  readonly options: CrossdockOptions;
  readonly reporter: Reporter;
}

/** Go compiles inside BuildKit from the sources in the context; the binaries are checked in the written images. */
export function hermeticContext(input: HermeticProject): ContextStrategy {
  let sources: Promise<GoSources> | undefined;
  // Collected once: the Dockerfile and the context's sources are written side by side.
  const goSources = () =>
    (sources ??= collectGoSources(input.workspaceRoot, input.projectRoot, input.sourceRoots));
  return {
    // No host binaries: the sources are read by dockerfile(), and withImageBinaries runs the preflight on the built binaries.
    inputsPresent: async () => undefined,
    preflight: async () => undefined,
    async dockerfile(plan, from) {
      const found = await goSources();
      const build = hermeticBuildOf(
        input.project,
        input.options,
        input.projectRoot,
        found.goVersion,
      );
      input.reporter.step(
        `hermetic Dockerfile: go build runs inside BuildKit on the build platform (${build.goImage}), ${found.files.length} source files in the context`,
      );
      return generateHermeticDockerfile(plan, from, build);
    },
    fill: async (dir) =>
      copyGoSources(input.workspaceRoot, dir, CONTEXT_SOURCES, await goSources()),
    withImageBinaries: (built, use) => withBuiltBinaries(built, use),
  };
}
