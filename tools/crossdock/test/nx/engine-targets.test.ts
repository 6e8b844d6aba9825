import { describe, expect, it } from 'vitest';
import { appTargets, BUILTIN_GZIP_INPUT } from '../../src/nx/nodes/targets';
import { normalizeOptions } from '../../src/options/normalize-options';

/** The inferred targets of an app with these image options. */
function targetsWith(values: Record<string, unknown>) {
  const options = normalizeOptions('hello', [{ source: 'test', values }]);
  const files = [
    '{workspaceRoot}/apps/hello/main.go',
    '{workspaceRoot}/libs/go/buildinfo/buildinfo.go',
    '{workspaceRoot}/go.mod',
    '{workspaceRoot}/go.sum',
  ];
  const compileInputs = options.platforms.map(() => [
    ...files,
    { runtime: 'go version' },
    { env: 'GOFLAGS' },
  ]);
  return appTargets({
    projectRoot: 'apps/hello',
    rawOptions: values,
    options,
    compileInputs,
    revisionPathspecs: ['apps/hello/main.go', 'go.mod', 'libs/go/buildinfo/buildinfo.go'],
  });
}

describe('targets for the engines', () => {
  it('builtin: the image waits for every compile, hashes the zlib build, and no docker input', () => {
    const { image } = targetsWith({});
    expect(image?.dependsOn).toEqual(['compile--linux-amd64', 'compile--linux-arm64']);
    expect(JSON.stringify(image?.inputs)).not.toContain('docker version');
    // Deflate output is stable for one zlib build only: another zlib must miss the cache.
    expect(image?.inputs).toContainEqual({ runtime: BUILTIN_GZIP_INPUT });
    // It names the zlib, never a path: two checkouts and two Node installs hash alike.
    expect(BUILTIN_GZIP_INPUT).not.toMatch(/command -v|wc -c/);
  });

  it('builtin with a registry base: the base-digest command prints the zlib build, the docker engine hashes none', () => {
    const base = '127.0.0.1:5000/busybox:latest';
    const { image, context } = targetsWith({ base });
    expect(image?.inputs).not.toContainEqual({ runtime: BUILTIN_GZIP_INPUT });
    expect(JSON.stringify(image?.inputs)).toContain(`base-digest --gzip ${base}`);
    expect(JSON.stringify(context?.inputs)).not.toContain('--gzip');
    const docker = targetsWith({ base, engine: 'docker' }).image?.inputs;
    expect(JSON.stringify(docker)).not.toContain('--gzip');
    expect(docker).not.toContainEqual({ runtime: BUILTIN_GZIP_INPUT });
  });

  it("the image's binaries are hashed by what they are made from: every platform's compile inputs, no task output", () => {
    const { image } = targetsWith({
      platforms: ['linux/amd64', 'linux/arm64'],
      cgo: true,
      cc: 'clang --target={zigTarget}',
    });
    const inputs = image?.inputs ?? [];
    // Nothing read from another task's outputs: Nx hashes the image before any task runs.
    expect(JSON.stringify(inputs)).not.toContain('dependentTasksOutputFiles');
    expect(JSON.stringify(inputs)).not.toContain('externalDependencies');
    expect(inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/apps/hello/main.go',
        '{workspaceRoot}/libs/go/buildinfo/buildinfo.go',
        '{workspaceRoot}/go.mod',
        { runtime: 'go version' },
        { env: 'GOFLAGS' },
      ]),
    );
    // Each platform's C toolchain, once per input, as the compile targets declare them.
    const compileInputs = ['compile--linux-amd64', 'compile--linux-arm64'].flatMap((name) =>
      (
        targetsWith({
          platforms: ['linux/amd64', 'linux/arm64'],
          cgo: true,
          cc: 'clang --target={zigTarget}',
        })[name]?.inputs ?? []
      ).filter((input) => typeof input === 'object' && !('externalDependencies' in input)),
    );
    expect(compileInputs.some((input) => JSON.stringify(input).includes('c-toolchain'))).toBe(true);
    for (const input of compileInputs) expect(inputs).toContainEqual(input);
    expect(new Set(inputs.map((input) => JSON.stringify(input))).size).toBe(inputs.length);
  });

  it("engine docker: the daemon's, buildx's and its builder's versions, and BUILDX_BUILDER, are inputs of the image", () => {
    const { image } = targetsWith({ engine: 'docker' });
    expect(image?.inputs).toContainEqual({
      runtime:
        "(docker version --format '{{.Server.Version}}'; docker buildx inspect | grep -E '^(Driver|BuildKit version):'; docker buildx version) 2>/dev/null || echo no-docker",
    });
    expect(image?.inputs).toContainEqual({ env: 'BUILDX_BUILDER' });
    expect(image?.dependsOn).toEqual(['compile--linux-amd64', 'compile--linux-arm64']);
  });

  it('hermetic: no compile dependency, and the Go sources (not the host toolchain) are inputs', () => {
    const { image } = targetsWith({ engine: 'docker', dockerfile: 'hermetic' });
    expect(image?.dependsOn).toEqual([]);
    expect(image?.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/apps/hello/main.go',
        '{workspaceRoot}/libs/go/buildinfo/buildinfo.go',
        '{workspaceRoot}/go.mod',
        '{workspaceRoot}/go.sum',
      ]),
    );
    expect(image?.inputs).not.toContainEqual({ runtime: 'go version' });
  });

  it('load: a target of its own after image, never cached, with the project options', () => {
    const { load } = targetsWith({ repository: 'team/hello' });
    expect(load).toMatchObject({
      executor: '@crossdock/nx:load',
      dependsOn: ['image'],
      cache: false,
      options: { repository: 'team/hello' },
    });
  });
});
