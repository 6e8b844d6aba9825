import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLayout } from '@crossdock/oci-layout';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  BUSYBOX_LAYOUT,
  copyLayoutTo,
  pushBusyboxBase,
} from '../../../scripts/testing/busybox-base';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import type { RunSummary } from '../../../scripts/testing/nx-run-summary';
import {
  addTransitiveLibrary,
  cacheable,
  editFile,
  editImageOptions,
  restoreAll,
  runTasks,
  type Restore,
} from './workspace-edits';

// One input per test: each changes one thing, checks exactly which cacheable tasks miss, and
// puts the thing back, so the next test starts from a fully cached workspace.
// hello (linux/amd64, scratch base) imports buildinfo and httpx, httpx imports textx;
// relay (linux/amd64, a base image in a private registry) imports buildinfo only.

const gate = toolGate(
  'cache inputs end to end',
  ['go', 'git', 'skopeo', 'docker-registry'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const HELLO = 'hello:compile--linux-amd64';
const RELAY = 'relay:compile--linux-amd64';

describe.skipIf(!gate.ok && !gate.ci)('cache inputs of compile and image', () => {
  let ws: WorkspaceCopy;
  let registry: RunningRegistry | undefined;
  let base = '';
  let goBinary = '';
  let baseline: RunSummary;

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    registry = await startRegistry();
    base = await pushBusyboxBase(registry.host);
    goBinary = join((await execa('go', ['env', 'GOROOT'])).stdout.trim(), 'bin/go');

    ws = await copyWorkspace();
    editImageOptions(ws.root, 'apps/hello', (o) => ({ ...o, platforms: ['linux/amd64'] }));
    editImageOptions(ws.root, 'apps/relay', (o) => ({ ...o, platforms: ['linux/amd64'], base }));
    addTransitiveLibrary(ws.root);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-q', '-m', 'one platform each; relay on a registry base; textx']);
    baseline = await runTasks(ws);
    expect(cacheable(baseline.misses)).toEqual([RELAY, HELLO, 'hello:image', 'relay:image'].sort());
  });
  afterAll(async () => {
    ws?.remove();
    await registry?.stop();
  });

  /** Applies the edits, builds, restores, and returns the cacheable tasks that missed. */
  async function missesAfter(
    edits: () => Restore[],
    env: Record<string, string> = {},
    expectSuccess = true,
  ) {
    const restores = edits();
    try {
      const run = await runTasks(ws, undefined, env, expectSuccess);
      return { misses: cacheable(run.misses), run };
    } finally {
      restoreAll(restores);
    }
  }

  it('hits every task when nothing changed', async () => {
    const run = await runTasks(ws);
    expect(cacheable(run.misses)).toEqual([]);
    expect(cacheable(run.hits)).toEqual([HELLO, 'hello:image', RELAY, 'relay:image'].sort());
  });

  it('misses the app compile and image when an app source file changes', async () => {
    const { misses } = await missesAfter(() => [
      editFile(ws.root, 'apps/hello/main.go', (t) =>
        t.replace('defaultAddr = ":8080"', 'defaultAddr = ":8081"'),
      ),
    ]);
    expect(misses).toEqual([HELLO, 'hello:image'].sort());
  });

  it('misses only the importing app when a transitively imported library changes (hello → httpx → textx)', async () => {
    const { misses } = await missesAfter(() => [
      editFile(ws.root, 'libs/go/textx/textx.go', (t) => t.replace('"crossdock"', '"crossdock/2"')),
    ]);
    expect(misses).toContain(HELLO);
    expect(misses.filter((id) => id.startsWith('relay:'))).toEqual([]);
  });

  it.each([
    ['go.mod', 'go.mod', (t: string) => `${t}\n// touched by the cache test\n`],
    [
      'go.sum',
      'go.sum',
      (t: string) =>
        `${t}example.com/unused v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`,
    ],
  ])('misses every compile when %s changes', async (_name, path, edit) => {
    const { misses } = await missesAfter(() => [editFile(ws.root, path, edit)]);
    expect(misses.filter((id) => id.includes(':compile--'))).toEqual([HELLO, RELAY].sort());
  });

  it('misses every compile and image when `go version` prints another version (a go wrapper first on PATH)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'crossdock-go-wrapper-'));
    try {
      writeFileSync(
        join(bin, 'go'),
        `#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.99.0-crossdock-test linux/amd64"; exit 0; fi\nexec ${goBinary} "$@"\n`,
      );
      chmodSync(join(bin, 'go'), 0o755);
      const { misses } = await missesAfter(() => [], { PATH: `${bin}:${process.env.PATH}` });
      // The images hash what their binaries are made from, `go version` included.
      expect(misses).toEqual([HELLO, RELAY, 'hello:image', 'relay:image'].sort());
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('misses every image and no compile when Nx runs on a Node with another zlib (deflate bytes are per zlib build)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'crossdock-node-wrapper-'));
    try {
      // A node first on PATH that is the real Node reporting another zlib to the image's
      // runtime inputs (`node -p` for hello's scratch base, `crossdock base-digest --gzip` for
      // relay's registry base): the builtin engine's gzip output is only stable for one zlib
      // build.
      const otherZlib = join(bin, 'other-zlib.cjs');
      writeFileSync(
        otherZlib,
        "Object.defineProperty(process, 'versions', { value: { ...process.versions, zlib: '0.0.0-crossdock-test' } });\n",
      );
      writeFileSync(
        join(bin, 'node'),
        `#!/bin/sh\nexec ${process.execPath} --require ${otherZlib} "$@"\n`,
      );
      chmodSync(join(bin, 'node'), 0o755);
      const { misses } = await missesAfter(() => [], { PATH: `${bin}:${process.env.PATH}` });
      expect(misses).toEqual(['hello:image', 'relay:image']);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('hits every task when Nx runs on the same Node installed elsewhere (a copy at another path)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'crossdock-node-copy-'));
    try {
      cpSync(process.execPath, join(bin, 'node'));
      const { misses } = await missesAfter(() => [], { PATH: `${bin}:${process.env.PATH}` });
      expect(misses).toEqual([]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  // ldflags and buildTags are compile options like version: all three reach the compile
  // target's options. Nx hashes the whole project configuration into every task of the
  // project (there is no custom hasher: Nx 24 deprecates them), so an option only the image
  // reads re-runs the compile too: a relink to the same bytes (see docs/caching.md).
  it.each([
    [
      'the version stamp',
      (o: Record<string, unknown>) => ({ ...o, version: '1.0.1' }),
      [HELLO, 'hello:image'],
    ],
    [
      'an image-only option (ports)',
      (o: Record<string, unknown>) => ({ ...o, ports: [8081] }),
      [HELLO, 'hello:image'],
    ],
  ])('misses what %s feeds', async (_name, edit, expected) => {
    const { misses } = await missesAfter(() => [editImageOptions(ws.root, 'apps/hello', edit)]);
    expect(misses).toEqual([...expected].sort());
  });

  it('adding a platform compiles it, relinks the other to the same bytes, and rebuilds the image', async () => {
    const before = readFileSync(join(ws.root, 'dist/bin/hello/linux/amd64/hello'));
    const { misses } = await missesAfter(() => [
      editImageOptions(ws.root, 'apps/hello', (o) => ({
        ...o,
        platforms: ['linux/amd64', 'linux/arm64'],
      })),
    ]);
    expect(misses).toEqual([HELLO, 'hello:compile--linux-arm64', 'hello:image'].sort());
    expect(readFileSync(join(ws.root, 'dist/bin/hello/linux/amd64/hello')).equals(before)).toBe(
      true,
    );
  });

  it('misses the image when the base tag points at another digest', async () => {
    const repointed = mkdtempSync(join(tmpdir(), 'crossdock-base-'));
    try {
      repointBase(repointed);
      await copyLayoutTo(repointed, base);
      const { misses } = await missesAfter(() => []);
      expect(misses).toEqual(['relay:image']);
    } finally {
      await copyLayoutTo(BUSYBOX_LAYOUT, base);
      rmSync(repointed, { recursive: true, force: true });
    }
  });

  it('misses exactly the images when the origin remote changes, whose URL becomes their source label', async () => {
    const url = 'https://github.com/crossdock/cache-inputs-e2e.git';
    await ws.git(['remote', 'add', 'origin', url]);
    try {
      const { misses } = await missesAfter(() => []);
      expect(misses).toEqual(['hello:image', 'relay:image']);
      // The label is in the image configs (small JSON blobs of the layout).
      const blobs = join(ws.root, 'dist/images/hello/blobs/sha256');
      const labelled = readdirSync(blobs)
        .map((name) => readFileSync(join(blobs, name)))
        .filter((bytes) => bytes.length < 65536)
        .map((bytes) => bytes.toString('utf8'))
        .filter((text) => text.includes(`"org.opencontainers.image.source":"${url}"`));
      expect(labelled.length).toBeGreaterThan(0);
    } finally {
      await ws.git(['remote', 'remove', 'origin']);
    }
  });

  it('misses the image when the engine changes', async () => {
    // The image hash changes whether or not the docker engine can build on this machine.
    const { misses, run } = await missesAfter(
      () => [editImageOptions(ws.root, 'apps/hello', (o) => ({ ...o, engine: 'docker' }))],
      {},
      false,
    );
    // The compile re-runs too (an option of the project configuration), to the same bytes.
    expect(misses).toEqual([HELLO, 'hello:image'].sort());
    expect(run.hashOf('hello:image')).not.toBe(baseline.hashOf('hello:image'));
  });

  it('hits everything after unrelated changes, uncommitted and then committed: docs, READMEs, and tests of the app and of libraries', async () => {
    const restores = [
      editFile(ws.root, 'README.md', (t) => `${t}# notes\n`),
      editFile(ws.root, 'docs/guide.md', () => '# guide\n'),
      editFile(ws.root, 'libs/go/README.md', (t) => `${t}\nmore\n`),
      editFile(ws.root, 'apps/hello/README.md', () => '# hello\n'),
      editFile(ws.root, 'apps/hello/main_test.go', (t) => `${t}\n// touched\n`),
      editFile(ws.root, 'libs/go/buildinfo/buildinfo_test.go', (t) => `${t}\n// touched\n`),
      editFile(ws.root, 'libs/go/httpx/httpx_test.go', (t) => `${t}\n// touched\n`),
      editFile(ws.root, 'apps/relay/main_test.go', (t) => `${t}\n// touched\n`),
    ];
    let committed = false;
    try {
      expect(cacheable((await runTasks(ws)).misses)).toEqual([]);
      // Committed, they leave the revision (the last commit of a compiled file) as it was.
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-q', '-m', 'docs and tests only']);
      committed = true;
      expect(cacheable((await runTasks(ws)).misses)).toEqual([]);
    } finally {
      if (committed) await ws.git(['reset', '-q', '--hard', 'HEAD~1']);
      else restoreAll(restores);
    }
  });

  it('restores dist/ from the cache after it is deleted, as a valid OCI layout', async () => {
    rmSync(join(ws.root, 'dist'), { recursive: true, force: true });
    const run = await runTasks(ws);
    expect(cacheable(run.misses)).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/bin/hello/linux/amd64/hello'))).toBe(true);
    for (const app of ['hello', 'relay']) {
      const layout = join(ws.root, 'dist/images', app);
      const raw = JSON.parse((await execa('skopeo', ['inspect', '--raw', `oci:${layout}`])).stdout);
      expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(
        raw.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
      ).toEqual(['amd64']);
      const report = await validateLayout(layout);
      expect(report.images).toHaveLength(1);
    }
  });
});

/** Writes into `dir` the busybox layout with an extra annotation on its image index: same images, another index digest. */
function repointBase(dir: string): void {
  cpSync(BUSYBOX_LAYOUT, dir, { recursive: true });
  const indexJson = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const descriptor = indexJson.manifests[0];
  const blob = JSON.parse(
    readFileSync(join(dir, 'blobs/sha256', descriptor.digest.slice('sha256:'.length)), 'utf8'),
  );
  const bytes = Buffer.from(
    JSON.stringify({
      ...blob,
      annotations: { ...blob.annotations, 'org.opencontainers.image.version': 'repointed' },
    }),
  );
  const digest = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(dir, 'blobs/sha256', digest), bytes);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      ...indexJson,
      manifests: [{ ...descriptor, digest: `sha256:${digest}`, size: bytes.length }],
    }),
  );
}
