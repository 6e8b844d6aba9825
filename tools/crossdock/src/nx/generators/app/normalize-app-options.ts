import { getProjects, joinPathFragments, normalizePath, type Tree } from '@nx/devkit';
import { formatPlatform, parsePlatformList, PlatformError } from '@crossdock/platform';
import { parseModulePath } from '../../../go/modules';
import { CrossdockError } from '../../../support/crossdock-error';

/** The options of `nx g @crossdock/nx:app`, as given on the command line (see schema.json). */
export interface AppGeneratorSchema {
  readonly name: string;
  readonly directory?: string;
  /** Comma-separated platforms, e.g. `linux/amd64,linux/arm64`. */
  readonly platforms?: string;
  /** The app's version option (`--version` itself belongs to the Nx CLI). */
  readonly appVersion?: string;
  readonly port?: number;
}

/** The generator's options once checked against the workspace: everything the files are made from. */
export interface AppOptions {
  readonly name: string;
  /** The app's directory relative to the workspace root, e.g. `apps/orders`. */
  readonly directory: string;
  /** Canonical platform strings, or undefined to inherit nx.json's default. */
  readonly platforms?: readonly string[];
  readonly version: string;
  readonly port: number;
  /** Prefix of the app's environment variables: `ORDER_API` for `order-api`. */
  readonly envPrefix: string;
  /** The Go import path of the buildinfo package, e.g. `github.com/acme/mono/libs/go/buildinfo`. */
  readonly buildinfoImport: string;
}

/** A generator input that cannot work: names the app and says what to change. */
export class AppGeneratorError extends CrossdockError {
  constructor(
    readonly app: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`crossdock app "${app}": ${detail}`, options);
    this.name = 'AppGeneratorError';
  }
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const BUILDINFO_DIR = 'libs/go/buildinfo';

/**
 * Checks the generator's options against the workspace tree: a valid, unused name and
 * directory, known platforms, and a single Go module (root go.mod) holding the buildinfo
 * package whose `--version` JSON every crossdock app prints.
 */
export function normalizeAppOptions(tree: Tree, schema: AppGeneratorSchema): AppOptions {
  const name = schema.name?.trim() ?? '';
  if (!NAME.test(name)) {
    throw new AppGeneratorError(
      name,
      'the name must be lower-case letters and digits separated by single dashes (it names the project, the binary and the image), e.g. order-api',
    );
  }
  const directory = normalizePath(
    schema.directory?.trim() || joinPathFragments('apps', name),
  ).replace(/\/+$/, '');
  if (directory.startsWith('..') || directory.startsWith('/')) {
    throw new AppGeneratorError(
      name,
      `--directory=${schema.directory} must be a path inside the workspace, e.g. apps/${name}`,
    );
  }
  for (const [other, project] of getProjects(tree)) {
    if (other === name)
      throw new AppGeneratorError(
        name,
        `a project named "${name}" already exists at ${project.root}; pick another name`,
      );
  }
  if (
    tree.exists(joinPathFragments(directory, 'project.json')) ||
    tree.exists(joinPathFragments(directory, 'main.go'))
  ) {
    throw new AppGeneratorError(
      name,
      `${directory} already holds a project or a main.go; pick another --directory`,
    );
  }
  const port = schema.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new AppGeneratorError(name, `--port=${schema.port} is not a TCP port (1-65535)`);
  return {
    name,
    directory,
    platforms: schema.platforms === undefined ? undefined : platformsOf(name, schema.platforms),
    version: schema.appVersion?.trim() || '0.1.0',
    port,
    envPrefix: name.toUpperCase().replaceAll('-', '_'),
    buildinfoImport: buildinfoImport(tree, name),
  };
}

function platformsOf(app: string, list: string): string[] {
  try {
    return parsePlatformList(
      list
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ).map(formatPlatform);
  } catch (error) {
    if (error instanceof PlatformError)
      throw new AppGeneratorError(app, `--platforms: ${error.message}`, { cause: error });
    throw error;
  }
}

function buildinfoImport(tree: Tree, app: string): string {
  if (tree.exists('go.work')) {
    throw new AppGeneratorError(
      app,
      'the workspace has a go.work; the generator supports one root go.mod for now (create the app module by hand, or remove go.work)',
    );
  }
  const goMod = tree.read('go.mod', 'utf-8');
  const modulePath = goMod === null ? undefined : parseModulePath(goMod);
  if (!modulePath)
    throw new AppGeneratorError(
      app,
      'the workspace root has no go.mod with a module line; run `go mod init <module path>` at the workspace root first',
    );
  if (!tree.exists(joinPathFragments(BUILDINFO_DIR, 'buildinfo.go'))) {
    throw new AppGeneratorError(
      app,
      `the app prints its version with the buildinfo package, expected at ${BUILDINFO_DIR}/buildinfo.go; add that library first`,
    );
  }
  return `${modulePath}/${BUILDINFO_DIR}`;
}
