import { join } from 'node:path';
import { platformPath, type Platform } from '@crossdock/platform';

/**
 * Where crossdock writes under dist/. This file is the only one that knows the layout;
 * Nx target outputs are derived from the same functions (see nodes/targets.ts).
 */
export const DIST = {
  /** dist/bin/<project>/<os>/<arch>[/<variant>] relative to the workspace root. */
  binDir: (project: string, platform: Platform) =>
    join('dist', 'bin', project, platformPath(platform)),
  /** dist/context/<project>: the generated Docker build context. */
  contextDir: (project: string) => join('dist', 'context', project),
  /** dist/images/<project>: the OCI image layout. */
  imageDir: (project: string) => join('dist', 'images', project),
  /** dist/metadata/<project>/image.json: what the last image build wrote (digests, sizes, times). */
  imageRecord: (project: string) => join('dist', 'metadata', project, 'image.json'),
  /** dist/push/<project>.json: what the last push wrote. */
  pushRecord: (project: string) => join('dist', 'push', `${project}.json`),
  /** dist/digests/<project>/<slug>.json: one CI cell's by-digest push. */
  digestDir: (project: string) => join('dist', 'digests', project),
  /** dist/smoke/<project>.json: the last smoke run's results per platform. */
  smokeRecord: (project: string) => join('dist', 'smoke', `${project}.json`),
  /** dist/cells/<project>/<slug>: one platform's image, context and SBOM built by a CI matrix cell. */
  cellDir: (project: string, slug: string) => join('dist', 'cells', project, slug),
  /** dist/sbom/<project>: SPDX documents per platform. */
  sbomDir: (project: string) => join('dist', 'sbom', project),
} as const;

/** Absolute path of a binary compiled for a platform. */
export function binaryPath(
  workspaceRoot: string,
  project: string,
  platform: Platform,
  binary: string,
): string {
  return join(workspaceRoot, DIST.binDir(project, platform), binary);
}
