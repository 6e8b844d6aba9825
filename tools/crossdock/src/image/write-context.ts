import { chmod, copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { platformPath, type Platform } from '@crossdock/platform';
import { renderDockerfile } from '@crossdock/dockerfile';
import type { Dockerfile } from '@crossdock/dockerfile';
import { CONTEXT_BIN, CONTEXT_ROOTFS } from './generated-dockerfile';
import { CA_BUNDLE_IMAGE_PATH, groupFile, passwdFile } from './rootfs-files';

/** What goes into a build context: the binaries per platform, the shared files, the Dockerfile. */
export interface ContextInput {
  readonly binaryName: string;
  readonly binaries: readonly { readonly platform: Platform; readonly path: string }[];
  readonly caBundle: string;
  readonly dockerfile: Dockerfile;
}

/** Paths of the shared files inside a written context, for the image plan. */
export interface ContextFiles {
  readonly passwd: string;
  readonly group: string;
  readonly caBundle: string;
}

/**
 * Writes a build context into `dir` (an empty directory): bin/<os>/<arch>[/<variant>]/<binary>
 * (hard links to the compiled binaries when possible), rootfs/etc/{passwd,group}, the CA
 * bundle, and the Dockerfile. `docker build --platform P dir` builds P's image from it.
 */
export async function writeBuildContext(dir: string, input: ContextInput): Promise<ContextFiles> {
  const files: ContextFiles = {
    passwd: join(dir, CONTEXT_ROOTFS, 'etc/passwd'),
    group: join(dir, CONTEXT_ROOTFS, 'etc/group'),
    caBundle: join(dir, CONTEXT_ROOTFS, CA_BUNDLE_IMAGE_PATH),
  };
  await mkdir(dirname(files.caBundle), { recursive: true });
  // COPY rootfs/ keeps these directories' modes: 0755 whatever the umask, as the builtin engine writes them.
  for (let sub = dirname(files.caBundle); sub.length >= join(dir, CONTEXT_ROOTFS).length; sub = dirname(sub)) await chmod(sub, 0o755);
  await writeFile(files.passwd, passwdFile(), { mode: 0o644 });
  await writeFile(files.group, groupFile(), { mode: 0o644 });
  await copyFile(input.caBundle, files.caBundle);
  // Modes are set explicitly: what docker copies from the context must not depend on the umask.
  await Promise.all([files.passwd, files.group, files.caBundle].map((file) => chmod(file, 0o644)));
  for (const { platform, path } of input.binaries) {
    const target = join(dir, CONTEXT_BIN, platformPath(platform), input.binaryName);
    await mkdir(dirname(target), { recursive: true });
    await link(path, target).catch(() => copyFile(path, target));
    await chmod(target, 0o755);
  }
  await writeFile(join(dir, 'Dockerfile'), renderDockerfile(input.dockerfile));
  return files;
}

/** The same paths once the context directory has been moved to `finalDir`. */
export function relocateContextFiles(files: ContextFiles, fromDir: string, finalDir: string): ContextFiles {
  const move = (path: string) => join(finalDir, path.slice(fromDir.length));
  return { passwd: move(files.passwd), group: move(files.group), caBundle: move(files.caBundle) };
}
