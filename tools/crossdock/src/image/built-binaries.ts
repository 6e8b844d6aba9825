import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOciLayout } from '@crossdock/oci-layout';
import { findPlatform, formatPlatform, platformSlug } from '@crossdock/platform';
import type { ResolvedBase } from './base/resolved-base';
import { readImageFile } from '@crossdock/oci-layout';
import type { Reporter } from '../support/report/reporter';
import type { ImagePlan } from './plan';
import { preflightBinary } from './preflight';

/** What checking the binaries of a built layout needs. */
export interface BuiltBinariesInput {
  readonly plan: ImagePlan;
  readonly layoutDir: string;
  readonly base: ResolvedBase;
  readonly reporter: Reporter;
}

/**
 * For a hermetic build, whose binaries were compiled inside BuildKit: takes each platform's
 * entrypoint binary out of the written layout into a temporary directory, runs the same
 * preflight as for host-compiled binaries (ELF machine, Go target, loader), then calls `use`
 * with the plan pointing at those binaries (for SBOMs). The directory is removed afterwards.
 */
export async function withBuiltBinaries<T>(
  input: BuiltBinariesInput,
  use: (plan: ImagePlan) => Promise<T>,
): Promise<T> {
  const { plan, base } = input;
  const scratch = await mkdtemp(join(tmpdir(), 'crossdock-built-'));
  try {
    const index = await (await readOciLayout(input.layoutDir)).resolveIndex();
    const inImage = `usr/local/bin/${plan.binaryName}`;
    const platforms = await Promise.all(
      plan.platforms.map(async (platformPlan) => {
        const at = findPlatform(platformPlan.platform, index.manifests, (d) => d.platform);
        const bytes = at < 0 ? undefined : await readImageFile(index.images[at]!, inImage);
        if (bytes === undefined) {
          throw new Error(
            `${plan.project}: the ${formatPlatform(platformPlan.platform)} image in ${input.layoutDir} has no /${inImage}; the hermetic build did not produce the binary`,
          );
        }
        const binary = join(scratch, platformSlug(platformPlan.platform), plan.binaryName);
        await mkdir(join(scratch, platformSlug(platformPlan.platform)));
        await writeFile(binary, bytes);
        await chmod(binary, 0o755);
        await preflightBinary({
          project: plan.project,
          platform: platformPlan.platform,
          binary,
          baseName: base.name,
          baseHasPath: (file) => base.hasPath(platformPlan.platform, file),
        });
        return { ...platformPlan, binary };
      }),
    );
    input.reporter.step(
      `preflight passed: ${platforms.length} binar${platforms.length === 1 ? 'y' : 'ies'} built inside BuildKit have the right ELF machine and Go target, no missing loader`,
    );
    return await use({ ...plan, platforms });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
