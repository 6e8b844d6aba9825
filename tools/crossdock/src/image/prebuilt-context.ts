import { readFile } from 'node:fs/promises';
import { formatPlatform, platformSlug, type Platform } from '@crossdock/platform';
import { generateDockerfile } from './generated-dockerfile';
import type { ContextStrategy } from './context-strategy';
import { preflightBinary } from './preflight';
import { writeContextBinaries } from './write-context';

/** The binaries the compile targets wrote, by platform (absolute paths). */
export interface PrebuiltBinaries {
  readonly project: string;
  readonly binaryName: string;
  readonly binaries: readonly { readonly platform: Platform; readonly path: string }[];
  /** When a platform's binary can be read (its compile may still run; default: now). */
  readonly binaryReady?: (platform: Platform) => Promise<void>;
}

/** Host-compiled binaries: checked (present, preflight) before anything is written, then copied into the context. */
export function prebuiltContext(input: PrebuiltBinaries): ContextStrategy {
  const { project, binaries } = input;
  const ready = async (platform: Platform) => input.binaryReady?.(platform);
  // Each binary is read once, when its compile has finished.
  const read = new Map<string, Promise<Uint8Array>>();
  const binary = (platform: Platform): Promise<Uint8Array> => {
    const slug = platformSlug(platform);
    let bytes = read.get(slug);
    if (bytes === undefined) {
      const path = binaries.find((candidate) => platformSlug(candidate.platform) === slug)?.path;
      bytes = ready(platform).then(async () => {
        if (path === undefined)
          throw new Error(`${project}: ${formatPlatform(platform)} is not one of its platforms`);
        return readFile(path).catch(() => {
          throw new Error(
            `${project}: no binary for ${formatPlatform(platform)} at ${path}; run "nx run ${project}:compile" first (image depends on it)`,
          );
        });
      });
      bytes.catch(() => undefined); // each caller awaits it
      read.set(slug, bytes);
    }
    return bytes;
  };
  return {
    binary,
    async inputsPresent() {
      const checks = binaries.map(({ platform }) => binary(platform));
      for (const check of checks) await check; // in order: the first missing one is reported
    },
    async preflight(base, reporter) {
      const baseName = base.then((resolved) => resolved.name);
      baseName.catch(() => undefined); // read for a message only; the caller reports a failed base
      // Nothing is written unless every binary can run in its image.
      await Promise.all(
        binaries.map(async ({ platform, path }) => {
          await preflightBinary({
            project,
            platform,
            binary: path,
            bytes: await binary(platform),
            baseName,
            baseHasPath: async (file) => (await base).hasPath(platform, file),
          });
        }),
      );
      reporter.step(
        `preflight passed: ${binaries.length} binar${binaries.length === 1 ? 'y' : 'ies'} with the right ELF machine and Go target, no missing loader`,
      );
    },
    dockerfile: async (plan, from) => generateDockerfile(plan, from),
    // Each binary as soon as its compile has finished; settles only once no copy is running.
    fill: async (dir) => {
      const copies = await Promise.allSettled(
        binaries.map(async (compiled) => {
          await ready(compiled.platform);
          await writeContextBinaries(dir, input.binaryName, [compiled]);
        }),
      );
      const failed = copies.find(
        (copy): copy is PromiseRejectedResult => copy.status === 'rejected',
      );
      if (failed) throw failed.reason;
    },
    // No withImageBinaries: the plan's binaries are the checked host binaries the images hold.
  };
}
