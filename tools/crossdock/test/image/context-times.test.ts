import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDockerfile } from '@crossdock/dockerfile';
import { parsePlatform } from '@crossdock/platform';
import { CONTEXT_MTIME, pinContextTimes } from '../../src/image/context-times';
import { generateDockerfile } from '../../src/image/generated-dockerfile';
import { writeBuildContext, writeContextBinaries } from '../../src/image/write-context';
import { testPlan } from '../support/image-plan';

// The generated context as BuildKit sees it: one fixed time on every file and directory
// (later than any epoch, so rewrite-timestamp always lowers it to this build's epoch), every
// directory of the image named in rootfs/, and the compile outputs left as they were.

let dir: string;
let source: string;
const sourceTime = new Date('2026-01-02T03:04:05Z');

async function entries(root: string, sub = root): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(sub, { withFileTypes: true })) {
    const path = join(sub, entry.name);
    names.push(relative(root, path));
    if (entry.isDirectory()) names.push(...(await entries(root, path)));
  }
  return names;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-context-times-'));
  const ca = join(dir, 'ca.crt');
  await writeFile(ca, 'CERT\n');
  source = join(dir, 'compiled-hello');
  await writeFile(source, 'ELF');
  await utimes(source, sourceTime, sourceTime);
  const context = join(dir, 'context');
  await mkdir(context);
  const plan = testPlan([]);
  await writeBuildContext(context, {
    caBundle: ca,
    dockerfile: generateDockerfile(plan, 'scratch'),
  });
  await writeContextBinaries(context, 'hello', [
    { platform: parsePlatform('linux/arm/v7'), path: source },
  ]);
  await symlink('../passwd', join(context, 'rootfs/etc/ssl/link'));
  pinContextTimes(context);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the generated context', () => {
  it('names every directory of the image in rootfs/, 0755', async () => {
    const rootfs = join(dir, 'context/rootfs');
    expect((await entries(rootfs)).sort()).toEqual([
      'etc',
      'etc/group',
      'etc/passwd',
      'etc/ssl',
      'etc/ssl/certs',
      'etc/ssl/certs/ca-certificates.crt',
      'etc/ssl/link',
      'usr',
      'usr/local',
      'usr/local/bin',
    ]);
    for (const sub of ['.', 'etc', 'etc/ssl', 'etc/ssl/certs', 'usr', 'usr/local', 'usr/local/bin'])
      expect((await stat(join(rootfs, sub))).mode & 0o7777, sub).toBe(0o755);
  });

  it('gives every file, directory and symlink (itself) the one fixed time, 2038-01-19T03:14:07Z', async () => {
    expect(new Date(CONTEXT_MTIME * 1000).toISOString()).toBe('2038-01-19T03:14:07.000Z');
    const context = join(dir, 'context');
    const all = ['.', ...(await entries(context))];
    expect(all).toContain('bin/linux/arm/v7/hello');
    for (const path of all) {
      const info = await lstat(join(context, path));
      expect(info.mtimeMs / 1000, path).toBe(CONTEXT_MTIME);
    }
  });

  it('holds copies of the compiled binaries: their own files and times stay as they were', async () => {
    const copy = await stat(join(dir, 'context/bin/linux/arm/v7/hello'));
    const compiled = await stat(source);
    expect(copy.ino).not.toBe(compiled.ino);
    expect(compiled.mtimeMs).toBe(sourceTime.getTime());
    expect(copy.mode & 0o7777).toBe(0o755);
  });

  it('copies the binary before rootfs/, so COPY creates no directory of its own, and the final stage takes the tree at /', () => {
    const text = renderDockerfile(generateDockerfile(testPlan([]), 'scratch'));
    expect(text).toContain(
      'FROM --platform=$BUILDPLATFORM scratch AS rootfs\nARG TARGETPLATFORM\nCOPY bin/$TARGETPLATFORM/hello /usr/local/bin/hello\nCOPY rootfs/ /\n',
    );
    expect(text).toContain('\nFROM scratch\nCOPY --from=rootfs / /\n');
  });
});
