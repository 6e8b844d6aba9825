import { describe, expect, it } from 'vitest';
import { releaseTags } from '../../../src/nx/release/release-tags';
import { readProjectVersion, writeProjectVersion } from '../../../src/nx/release/project-version';
import { findReferences, replaceReferences } from '../../../src/cli/resolve/find-references';

describe('releaseTags', () => {
  it.each([
    ['1.4.0', [], ['1.4.0', '1.4', '1', 'latest']],
    ['1.4.0', ['1.3.9', '0.9.0'], ['1.4.0', '1.4', '1', 'latest']],
    // A fix of an older line moves its own minor tag only.
    ['1.3.5', ['1.4.0', '1.3.4'], ['1.3.5', '1.3']],
    ['1.9.1', ['2.0.0', '1.9.0'], ['1.9.1', '1.9', '1']],
    // Prereleases never move a shared tag, nor are they counted as newer.
    ['2.0.0-rc.1', ['1.4.0'], ['2.0.0-rc.1']],
    ['1.4.1', ['2.0.0-rc.1', '1.4.0'], ['1.4.1', '1.4', '1', 'latest']],
    ['v1.2.3', [], ['1.2.3', '1.2', '1', 'latest']],
  ])('%s after %j → %j', (version, released, tags) => {
    expect(releaseTags(version, released)).toEqual(tags);
  });
});

describe('project.json version (the version actions manifest)', () => {
  const text = `{\n  "name": "relay",\n  "targets": {\n    "image": { "options": { "platforms": ["linux/amd64"], "version": "1.0.0" } },\n    "push": { "options": { "version": "keep" } }\n  }\n}\n`;

  it('reads and replaces the image target version in place, every other byte kept', () => {
    expect(readProjectVersion(text)).toBe('1.0.0');
    expect(writeProjectVersion(text, '1.4.0')).toBe(text.replace('"1.0.0"', '"1.4.0"'));
  });

  it('adds a version where there is none', () => {
    const written = writeProjectVersion('{"name":"x"}', '0.1.0');
    expect(readProjectVersion(written)).toBe('0.1.0');
    expect(readProjectVersion(null)).toBeUndefined();
  });
});

describe('findReferences / replaceReferences', () => {
  it.each([
    ['image: crossdock://hello', 'image: R(hello)'],
    ["image: 'crossdock://hello'  # quoted", "image: 'R(hello)'  # quoted"],
    ['- {image: "crossdock://a/b"}\n- crossdock://c', '- {image: "R(a/b)"}\n- R(c)'],
    [
      'a: &x crossdock://hello\nb: *x\n---\n# doc 2\nc: crossdock://hello\n',
      'a: &x R(hello)\nb: *x\n---\n# doc 2\nc: R(hello)\n',
    ],
    ['text: "see crossdock://hello"', 'text: "see crossdock://hello"'],
    ['command: [crossdock, "crossdock:/x"]', 'command: [crossdock, "crossdock:/x"]'],
  ])('%j', (input, output) => {
    const refs = findReferences('f.yaml', input);
    expect(replaceReferences(input, refs, (p) => `R(${p})`)).toBe(output);
  });

  it('gives each reference its line', () => {
    expect(findReferences('f.yaml', '# one\n---\nx: 1\ny: crossdock://hello\n')[0]!.line).toBe(4);
  });

  it.each([
    ['a: [1,\n', /^f\.yaml:\d+: not valid YAML: /],
    ['a: crossdock://\n', /^f\.yaml:1: "crossdock:\/\/" does not name a project/],
    ['a: "crossdock:\\x2f/hello"\n', /^f\.yaml:1: crossdock:\/\/hello is written with escapes/],
  ])('refuses %j', (input, message) => {
    expect(() => findReferences('f.yaml', input)).toThrow(message);
  });
});

describe('readInputs', () => {
  it('reads files, a directory (sorted), -R subdirectories and stdin', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readInputs } = await import('../../../src/cli/resolve/read-inputs');
    const dir = await mkdtemp(join(tmpdir(), 'crossdock-inputs-'));
    await mkdir(join(dir, 'k8s/sub'), { recursive: true });
    await writeFile(join(dir, 'k8s/b.yaml'), 'b');
    await writeFile(join(dir, 'k8s/a.yml'), 'a');
    await writeFile(join(dir, 'k8s/notes.txt'), 'x');
    await writeFile(join(dir, 'k8s/sub/c.yaml'), 'c');
    const stdin = async () => 'stdin';
    const names = async (paths: string[], recursive: boolean) =>
      (await readInputs(dir, paths, recursive, stdin)).map((i) => `${i.name}=${i.text}`);
    expect(await names(['k8s'], false)).toEqual(['k8s/a.yml=a', 'k8s/b.yaml=b']);
    expect(await names(['k8s', '-'], true)).toEqual([
      'k8s/a.yml=a',
      'k8s/b.yaml=b',
      'k8s/sub/c.yaml=c',
      '<stdin>=stdin',
    ]);
    await expect(names(['missing.yaml'], false)).rejects.toThrow(
      'missing.yaml: no such file or directory',
    );
    await rm(dir, { recursive: true });
  });
});
