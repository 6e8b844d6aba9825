import { access, constants, realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { extractRootfs, readOciLayout, resolveInRoot } from '@crossdock/oci-layout';
import { type Image, type ImageIndex } from '@crossdock/oci';
import { findPlatform, type Platform } from '@crossdock/platform';
import { DEFAULT_PATH } from '../image/plan';

/** An image's root filesystem on disk and how its entrypoint runs, as a container runtime would start it. */
export interface AssembledRootfs {
  /** The extracted root filesystem (absolute, free of symlinks). */
  readonly dir: string;
  /** The image's Entrypoint as configured, e.g. ["/usr/local/bin/hello"]. */
  readonly entrypoint: readonly string[];
  /** The entrypoint's program: its path inside `dir` on disk, symlinks resolved inside the root. */
  readonly program: string;
  /** The image config's Env, as the child's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The image's WorkingDir inside `dir` on disk (the root when it does not exist). */
  readonly cwd: string;
}

/** The image index of an OCI layout written by the image target (its only, or `latest`, entry). */
export async function readLayoutIndex(layoutDir: string): Promise<ImageIndex> {
  return (await readOciLayout(layoutDir)).resolveIndex();
}

/** The image of `index` for a platform, or undefined when the index has none. */
export function imageOf(index: ImageIndex, platform: Platform): Image | undefined {
  const at = findPlatform(platform, index.manifests, (descriptor) => descriptor.platform);
  return at < 0 ? undefined : index.images[at];
}

/**
 * Extracts an image's root filesystem into `dir` (absolute, empty or missing): every layer
 * in order, whiteouts honoured (extractRootfs). Then resolves the entrypoint inside it:
 * an absolute Entrypoint[0] from the root, a relative one with a '/' from WorkingDir, a bare
 * name through the image's PATH. Throws an Error saying what the image lacks.
 */
export async function assembleRootfs(image: Image, dir: string): Promise<AssembledRootfs> {
  await extractRootfs(image, dir);
  const root = await realpath(dir);
  const config = image.config.config ?? {};
  const entrypoint = config.Entrypoint ?? [];
  const first = entrypoint[0];
  if (first === undefined || first === '') {
    throw new Error(
      `the image has no Entrypoint in its config, so there is nothing to smoke-test; set one (crossdock sets /usr/local/bin/<binary>)`,
    );
  }
  const env = envRecord(config.Env ?? [DEFAULT_PATH]);
  const workdir = config.WorkingDir || '/';
  const candidates = first.includes('/')
    ? [posix.resolve(workdir, first)]
    : (env.PATH ?? '')
        .split(':')
        .filter((d) => d.startsWith('/'))
        .map((d) => posix.join(d, first));
  for (const candidate of candidates) {
    const program = await resolveInRoot(root, candidate, { followLast: true }).catch(
      () => undefined,
    );
    if (program !== undefined && (await isExecutableFile(program))) {
      const cwd = await resolveInRoot(root, workdir, { followLast: true }).catch(() => root);
      const cwdIsDir = await stat(cwd).then(
        (s) => s.isDirectory(),
        () => false,
      );
      return { dir: root, entrypoint, program, env, cwd: cwdIsDir ? cwd : root };
    }
  }
  throw new Error(
    `the image's entrypoint ${JSON.stringify(first)} is not an executable file in its root filesystem ` +
      `(looked at ${candidates.join(', ') || 'no PATH directories'}); check the image's layers and the binary option`,
  );
}

/** `KEY=value` entries as a record; a later entry wins, as in a container runtime. */
function envRecord(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    env[at < 0 ? entry : entry.slice(0, at)] = at < 0 ? '' : entry.slice(at + 1);
  }
  return env;
}

async function isExecutableFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return false;
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
