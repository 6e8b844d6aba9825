import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { platformPath, type Platform } from '@crossdock/platform';
import { renderDockerfile } from '@crossdock/dockerfile';
import type { Dockerfile } from '@crossdock/dockerfile';
import { CONTEXT_BIN, CONTEXT_ROOTFS } from './generated-dockerfile';
import { BINARY_DIR, CA_BUNDLE_IMAGE_PATH, groupFile, passwdFile } from './rootfs-files';

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
 * rootfs/etc/{passwd,group}, the CA bundle, the binary's directory (rootfs/usr/local/bin,
 * empty) and the Dockerfile. Every directory of the image's tree is named in rootfs/, so
 * COPY creates none with a time of its own (see context-times.ts).
 */
export async function writeBuildContext(dir: string, input: ContextInput): Promise<void> {
  const files = contextFiles(dir);
  const rootfs = join(dir, CONTEXT_ROOTFS);
  await directories(rootfs, dirname(CA_BUNDLE_IMAGE_PATH));
  await directories(rootfs, BINARY_DIR);
  await writeFile(files.passwd, passwdFile(), { mode: 0o644 });
  await writeFile(files.group, groupFile(), { mode: 0o644 });
  await copyFile(input.caBundle, files.caBundle);
  // Modes are set explicitly: what docker copies from the context must not depend on the umask.
  await Promise.all([files.passwd, files.group, files.caBundle].map((file) => chmod(file, 0o644)));
  await writeFile(join(dir, 'Dockerfile'), renderDockerfile(input.dockerfile));
}

/**
 * Creates `root/path` and its parents up to root, each 0755 whatever the umask: COPY rootfs/
 * keeps the modes, and the builtin engine writes 0755.
 */
async function directories(root: string, path: string): Promise<void> {
  await mkdir(join(root, path), { recursive: true });
  for (let sub = path; sub !== '.'; sub = dirname(sub)) await chmod(join(root, sub), 0o755);
  await chmod(root, 0o755);
}

/**
 * Writes bin/<os>/<arch>[/<variant>]/<binary> into a context (copies of the compiled
 * binaries, cloned where the filesystem can): `docker build --platform P dir` then builds P's image from it.
 */
export async function writeContextBinaries(
  dir: string,
  binaryName: string,
  binaries: readonly { readonly platform: Platform; readonly path: string }[],
): Promise<void> {
  for (const { platform, path } of binaries) {
    const target = join(dir, CONTEXT_BIN, platformPath(platform), binaryName);
    await mkdir(dirname(target), { recursive: true });
    // A copy, not a hard link: the context's times are set (context-times.ts), the compile output's are not.
    await copyFile(path, target, constants.COPYFILE_FICLONE);
    await chmod(target, 0o755);
  }
}
