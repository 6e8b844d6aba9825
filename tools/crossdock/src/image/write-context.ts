import { chmod, copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { platformPath, type Platform } from '@crossdock/platform';
import { renderDockerfile } from '@crossdock/dockerfile';
import type { Dockerfile } from '@crossdock/dockerfile';
import { CONTEXT_BIN, CONTEXT_ROOTFS } from './generated-dockerfile';
import { CA_BUNDLE_IMAGE_PATH, groupFile, passwdFile } from './rootfs-files';

/** What every build context holds besides the binaries or sources: the shared files' source and the Dockerfile. */
export interface ContextInput {
  readonly caBundle: string;
  readonly dockerfile: Dockerfile;
}

/** Paths of the shared files inside a context directory, for the image plan. */
export interface ContextFiles {
  readonly passwd: string;
  readonly group: string;
  readonly caBundle: string;
}

/** Where the shared files of a context in `dir` are (the plan points at them before they are written). */
export function contextFiles(dir: string): ContextFiles {
  return {
    passwd: join(dir, CONTEXT_ROOTFS, 'etc/passwd'),
    group: join(dir, CONTEXT_ROOTFS, 'etc/group'),
    caBundle: join(dir, CONTEXT_ROOTFS, CA_BUNDLE_IMAGE_PATH),
  };
}

/**
 * Writes the shared part of a build context into `dir` (an empty directory):
 * rootfs/etc/{passwd,group}, the CA bundle, and the Dockerfile.
 */
export async function writeBuildContext(dir: string, input: ContextInput): Promise<void> {
  const files = contextFiles(dir);
  await mkdir(dirname(files.caBundle), { recursive: true });
  // COPY rootfs/ keeps these directories' modes: 0755 whatever the umask, as the builtin engine writes them.
  for (
    let sub = dirname(files.caBundle);
    sub.length >= join(dir, CONTEXT_ROOTFS).length;
    sub = dirname(sub)
  )
    await chmod(sub, 0o755);
  await writeFile(files.passwd, passwdFile(), { mode: 0o644 });
  await writeFile(files.group, groupFile(), { mode: 0o644 });
  await copyFile(input.caBundle, files.caBundle);
  // Modes are set explicitly: what docker copies from the context must not depend on the umask.
  await Promise.all([files.passwd, files.group, files.caBundle].map((file) => chmod(file, 0o644)));
  await writeFile(join(dir, 'Dockerfile'), renderDockerfile(input.dockerfile));
}

/**
 * Writes bin/<os>/<arch>[/<variant>]/<binary> into a context (hard links to the compiled
 * binaries when possible): `docker build --platform P dir` then builds P's image from it.
 */
export async function writeContextBinaries(
  dir: string,
  binaryName: string,
  binaries: readonly { readonly platform: Platform; readonly path: string }[],
): Promise<void> {
  for (const { platform, path } of binaries) {
    const target = join(dir, CONTEXT_BIN, platformPath(platform), binaryName);
    await mkdir(dirname(target), { recursive: true });
    await link(path, target).catch(() => copyFile(path, target));
    await chmod(target, 0o755);
  }
}
