import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { appBuildSpec, appClosures } from '../../src/go/app-closures';
import { GO_LAYOUT_FILES, goModWithLayouts } from '../../../scripts/testing/go-layouts';
import { closureFiles, goListFiles } from '../../../scripts/testing/go-list';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';
import { writeWorkspace } from '../workspace-fixture';
import { ossWorkspace, OSS_APPS } from '../../../scripts/testing/oss-modules';

const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
].map((p) => parsePlatform(p));

/** Module files crossdock declares besides what go list names (they decide the build list). */
const isModuleFile = (file: string) =>
  /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum|vendor\/modules\.txt)$/.test(file);

/** Compares crossdock's closure with go list's for an app on every platform; returns the over-inclusions. */
async function compare(
  root: string,
  projectRoot: string,
  main: string,
  platforms = PLATFORMS,
  options: { cgo?: boolean; tags?: string[] } = {},
) {
  const spec = appBuildSpec(projectRoot, {
    main,
    platforms,
    cgo: options.cgo ?? false,
    buildTags: options.tags ?? [],
  });
  const app = appClosures(root, spec);
  const extras: string[] = [];
  for (const [index, platform] of platforms.entries()) {
    const ours = closureFiles(root, app.closures[index]);
    const truth = await goListFiles(root, spec.mainDir, platform, options);
    expect(truth.size, 'go list found no workspace files').toBeGreaterThan(0);
    const missing = [...truth].filter((file) => !ours.has(file));
    // Never stale: every file go build reads is an input.
    expect(
      missing,
      `${projectRoot} ${platform.architecture}${platform.variant ?? ''}: files go build reads that are not inputs`,
    ).toEqual([]);
    extras.push(
      ...[...ours]
        .filter((file) => !truth.has(file) && !isModuleFile(file))
        .map((file) => `${platform.architecture}:${file}`),
    );
  }
  return extras;
}

describe('Go closures against go list (the ground truth)', () => {
  let root: string;
  beforeAll(() => {
    root = writeWorkspace(GO_LAYOUT_FILES);
    for (const dir of ['apps/hello', 'apps/relay', 'libs/go'])
      cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
    writeFileSync(
      join(root, 'go.mod'),
      goModWithLayouts(readFileSync(join(REPO_ROOT, 'go.mod'), 'utf8')),
    );
  });

  it('sample apps with an embedded banner and an internal package: exactly the files go build reads', async () => {
    expect(await compare(root, 'apps/hello', '.')).toEqual([]);
    expect(await compare(root, 'apps/relay', '.')).toEqual([]);
    const hello = closureFiles(
      root,
      appClosures(
        root,
        appBuildSpec('apps/hello', {
          main: '.',
          platforms: PLATFORMS.slice(0, 1),
          cgo: false,
          buildTags: [],
        }),
      ).closures[0],
    );
    expect(hello).toContain('apps/hello/banner.txt');
    expect(hello).toContain('internal/greet/greet.go');
    expect([...hello].filter((f) => /_test\.go$|README|testdata/.test(f))).toEqual([]);
  });

  it('every layout (go.work module, local replace, embed, constraints, assembly): exactly go list per platform', async () => {
    expect(await compare(root, 'apps/layouts', '.')).toEqual([]);
    const perPlatform = appClosures(
      root,
      appBuildSpec('apps/layouts', {
        main: '.',
        platforms: PLATFORMS.slice(0, 2),
        cgo: false,
        buildTags: [],
      }),
    );
    const [amd64, arm64] = perPlatform.closures.map((c) => closureFiles(root, c));
    expect(amd64).toContain('apps/layouts/answer_amd64.s');
    expect(arm64).not.toContain('apps/layouts/answer_amd64.s');
    expect(arm64).toContain('internal/armonly/armonly.go');
    expect(amd64).not.toContain('internal/armonly/armonly.go');
    expect(arm64).toContain('apps/layouts/legacy.go');
    expect(amd64).toContain('modules/local/lib/lib.go');
    expect(amd64).toContain('modules/extra/text/text.go');
    expect(amd64).toContain('apps/layouts/assets/.hidden');
    expect(amd64).not.toContain('apps/layouts/native.c');
  });

  it('cgo on: the cgo file, its C source and the ${SRCDIR} include directory are inputs', async () => {
    const extras = await compare(root, 'apps/layouts', '.', PLATFORMS.slice(0, 1), { cgo: true });
    // go list names native.h under HFiles only when it is in the package directory; the
    // include directory is declared whole (it holds only native.h here).
    expect(extras).toEqual(['amd64:apps/layouts/include/native.h']);
  });

  it('vendoring (go work vendor): dependencies come from vendor/, replace targets are no longer read', async () => {
    await execa('go', ['work', 'vendor'], {
      cwd: root,
      env: { GOTOOLCHAIN: 'local', GOFLAGS: '' },
    });
    expect(existsSync(join(root, 'vendor/example.com/local/lib/lib.go'))).toBe(true);
    expect(await compare(root, 'apps/layouts', '.')).toEqual([]);
    const files = closureFiles(
      root,
      appClosures(
        root,
        appBuildSpec('apps/layouts', {
          main: '.',
          platforms: PLATFORMS.slice(0, 1),
          cgo: false,
          buildTags: [],
        }),
      ).closures[0],
    );
    expect(files).toContain('vendor/example.com/local/lib/lib.go');
    expect(files).toContain('vendor/modules.txt');
    expect(files).not.toContain('modules/local/lib/lib.go');
  });
});

describe('Go closures of real open-source services against go list', () => {
  it.each(OSS_APPS.map((app) => [app.name, app] as const))(
    '%s: every file go build reads is an input, on every platform',
    async (_name, app) => {
      const root = await ossWorkspace();
      const extras = await compare(root, app.projectRoot, app.main);
      expect(extras).toEqual([]);
      const files = closureFiles(
        root,
        appClosures(
          root,
          appBuildSpec(app.projectRoot, {
            main: app.main,
            platforms: PLATFORMS.slice(0, 1),
            cgo: false,
            buildTags: [],
          }),
        ).closures[0],
      );
      // Embedded files and internal packages are inputs; tests are not.
      expect(
        [...files].some(
          (f) =>
            f.startsWith(`${app.moduleDir}/`) && !f.endsWith('.go') && !/go\.(mod|sum)$/.test(f),
        ),
      ).toBe(true);
      expect([...files].filter((f) => f.endsWith('_test.go'))).toEqual([]);
    },
  );
});
