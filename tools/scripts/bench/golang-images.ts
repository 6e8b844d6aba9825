import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPlatform, parsePlatform, platformSlug } from '@crossdock/platform';
import type { Runner } from '../../crossdock/src/support/process/runner';
import type { Log } from './timing';
import type { Toolchain } from './toolchain';

/** The docker CLI with BuildKit (Debian's 20.10; see tools/scripts/README.md). */
export const DOCKER = '/usr/bin/docker';
/** The environment of every docker command of the benchmark. */
export const DOCKER_ENV: Readonly<Record<string, string>> = {
  DOCKER_BUILDKIT: '1',
  DOCKER_CLI_EXPERIMENTAL: 'enabled',
};

/** One platform's Go toolchain for the naive image. */
export interface GolangPlatform {
  readonly platform: string;
  readonly toolchain: Toolchain;
  /** Extra ENV lines of that platform's image (GOARM=7 for arm/v7, as crossdock builds it). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The multi-platform `golang` image the naive build starts from, and its per-platform tags. */
export interface GolangImage {
  readonly reference: string;
  readonly perPlatform: Readonly<Record<string, string>>;
}

/**
 * The Dockerfile of a `golang`-like image: busybox plus the toolchain at /usr/local/go,
 * the PATH and GOPATH of the official image, GOTOOLCHAIN=local (no download attempts).
 */
export function golangDockerfile(base: string, env: Readonly<Record<string, string>> = {}): string {
  const vars = {
    PATH: '/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    GOPATH: '/go',
    GOTOOLCHAIN: 'local',
    ...env,
  };
  return [
    `FROM ${base}`,
    'COPY . /usr/local/go',
    ...Object.entries(vars).map(([key, value]) => `ENV ${key}=${value}`),
    'WORKDIR /go',
    '',
  ].join('\n');
}

async function exists(runner: Runner, reference: string): Promise<boolean> {
  const result = await runner.run(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`],
    { allowFailure: true, timeoutMs: 60_000 },
  );
  return result.exitCode === 0;
}

/** The platforms of the manifest list at `reference` (os/arch[/variant]); none when it does not exist. */
async function listedPlatforms(runner: Runner, reference: string): Promise<string[]> {
  const result = await runner.run(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`],
    { allowFailure: true, timeoutMs: 60_000 },
  );
  if (result.exitCode !== 0) return [];
  const list = JSON.parse(result.stdout) as {
    manifests?: { platform?: { os: string; architecture: string; variant?: string } }[];
  };
  return (list.manifests ?? []).flatMap((entry) =>
    entry.platform
      ? [
          formatPlatform(
            parsePlatform(
              [entry.platform.os, entry.platform.architecture, entry.platform.variant]
                .filter(Boolean)
                .join('/'),
            ),
          ),
        ]
      : [],
  );
}

/**
 * Builds (once; kept in the registry between runs) one image per platform from `base`
 * plus that platform's toolchain, pushes each, and joins them in one manifest list
 * `<repository>:<go version without "go">`, as the official golang image is published.
 */
export async function ensureGolangImage(
  runner: Runner,
  options: { base: string; repository: string; platforms: readonly GolangPlatform[]; log: Log },
): Promise<GolangImage> {
  const version = options.platforms[0].toolchain.version.replace(/^go/, '');
  const reference = `${options.repository}:${version}`;
  const tagFor = (platform: string) =>
    `${options.repository}:${version}-${platformSlug(parsePlatform(platform))}`;
  const perPlatform: Record<string, string> = {};
  let built = false;
  for (const entry of options.platforms) {
    const tag = tagFor(entry.platform);
    perPlatform[entry.platform] = tag;
    if (await exists(runner, tag)) continue;
    options.log(`golang image: building ${tag} from ${entry.toolchain.goroot}`);
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-bench-golang-'));
    try {
      const dockerfile = join(scratch, 'Dockerfile');
      writeFileSync(dockerfile, golangDockerfile(options.base, entry.env));
      await runner.run(
        DOCKER,
        [
          'build',
          '--platform',
          entry.platform,
          '-f',
          dockerfile,
          '-t',
          tag,
          entry.toolchain.goroot,
        ],
        { env: DOCKER_ENV, timeoutMs: 30 * 60_000 },
      );
      await runner.run(DOCKER, ['push', tag], { env: DOCKER_ENV, timeoutMs: 30 * 60_000 });
      built = true;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const listed = await listedPlatforms(runner, reference);
  if (built || !Object.keys(perPlatform).every((platform) => listed.includes(platform))) {
    // Keep the platforms an earlier run listed (a --quick run asks for fewer).
    const joined: Record<string, string> = {
      ...Object.fromEntries(listed.map((platform) => [platform, tagFor(platform)])),
      ...perPlatform,
    };
    options.log(`golang image: joining ${Object.values(joined).join(', ')} into ${reference}`);
    await runner.run(DOCKER, ['manifest', 'rm', reference], {
      env: DOCKER_ENV,
      allowFailure: true,
    });
    await runner.run(
      DOCKER,
      ['manifest', 'create', '--insecure', reference, ...Object.values(joined)],
      { env: DOCKER_ENV },
    );
    for (const [platform, tag] of Object.entries(joined)) {
      const parsed = parsePlatform(platform);
      const variant = parsed.variant === undefined ? [] : ['--variant', parsed.variant];
      await runner.run(
        DOCKER,
        [
          'manifest',
          'annotate',
          reference,
          tag,
          '--os',
          parsed.os,
          '--arch',
          parsed.architecture,
          ...variant,
        ],
        { env: DOCKER_ENV },
      );
    }
    await runner.run(DOCKER, ['manifest', 'push', '--insecure', '--purge', reference], {
      env: DOCKER_ENV,
      timeoutMs: 10 * 60_000,
    });
  }
  return { reference, perPlatform };
}
