import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlatform } from '@crossdock/platform';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from '../../crossdock/src/go/compile/go-build';
import type { Command } from './timing';

/** The crossdock options of one app that decide its `go build` command: read from nx.json defaults and its project.json. */
export interface AppBuild {
  readonly project: string;
  readonly platforms: readonly string[];
  readonly version: string;
  readonly ldflags: readonly string[];
  readonly buildTags: readonly string[];
  readonly main: string;
}

interface RawOptions {
  platforms?: string[];
  version?: string;
  ldflags?: string[];
  buildTags?: string[];
  main?: string;
}

/** An app's build options as crossdock would merge them (project.json over nx.json plugin options). */
export function readAppBuild(workspaceRoot: string, project: string): AppBuild {
  const nx = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as {
    plugins?: (string | { plugin: string; options?: RawOptions })[];
  };
  const plugin = nx.plugins?.find(
    (entry) => typeof entry !== 'string' && entry.plugin === '@crossdock/nx',
  );
  const defaults: RawOptions = typeof plugin === 'object' ? (plugin.options ?? {}) : {};
  const projectJson = JSON.parse(
    readFileSync(join(workspaceRoot, 'apps', project, 'project.json'), 'utf8'),
  ) as { targets?: { image?: { options?: RawOptions } } };
  const options: RawOptions = { ...defaults, ...(projectJson.targets?.image?.options ?? {}) };
  return {
    project,
    platforms: options.platforms ?? [],
    version: options.version ?? '0.0.0-dev',
    ldflags: options.ldflags ?? [],
    buildTags: options.buildTags ?? [],
    main: options.main ?? '.',
  };
}

/** The go build spec crossdock's compile executor would use for one platform of an app. */
export function specFor(
  app: AppBuild,
  platform: string,
  output: string,
  main = app.main,
): GoBuildSpec {
  return {
    platform: parsePlatform(platform),
    main,
    output,
    version: app.version,
    ldflags: app.ldflags,
    buildTags: app.buildTags,
    cgo: false,
  };
}

/**
 * The bare compile of one app for one platform: the exact `go build` arguments and
 * environment of crossdock's compile executor (the plugin's own goBuildArgs/goBuildEnv),
 * run in the app's directory, with the given GOCACHE.
 */
export function bareCompile(
  workspaceRoot: string,
  app: AppBuild,
  platform: string,
  output: string,
  goCache: string,
): Command {
  const spec = specFor(app, platform, output);
  return {
    command: 'go',
    args: goBuildArgs(spec),
    options: {
      cwd: join(workspaceRoot, 'apps', app.project),
      env: goBuildEnv(spec, { ...process.env, GOCACHE: goCache }),
      extendEnv: false,
      timeoutMs: 60 * 60_000,
    },
  };
}

/** Quotes one word for a POSIX shell (a Dockerfile RUN line): the plugin's one helper. */
export { shellWord as shellQuote } from '../../crossdock/src/support/process/shell-word';
