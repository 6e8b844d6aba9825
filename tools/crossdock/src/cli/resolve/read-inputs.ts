import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** One YAML input: its name in messages and its text. */
export interface YamlInput {
  readonly name: string;
  readonly text: string;
}

const YAML_FILE = /\.(ya?ml|json)$/;

/**
 * The inputs of `-f` arguments, in order: a file, `-` (standard input), or a directory's
 * .yaml/.yml/.json files (sorted; with `recursive`, its subdirectories' too).
 */
export async function readInputs(
  cwd: string,
  paths: readonly string[],
  recursive: boolean,
  stdin: () => Promise<string>,
): Promise<YamlInput[]> {
  const inputs: YamlInput[] = [];
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ name: '<stdin>', text: await stdin() });
      continue;
    }
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new Error(`${path}: no such file or directory`);
    if (!info.isDirectory()) {
      inputs.push({ name: path, text: await readFile(absolute, 'utf8') });
      continue;
    }
    for (const file of await yamlFiles(absolute, recursive))
      inputs.push({ name: join(path, file), text: await readFile(join(absolute, file), 'utf8') });
  }
  return inputs;
}

async function yamlFiles(dir: string, recursive: boolean, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory() && recursive)
      files.push(...(await yamlFiles(join(dir, entry.name), recursive, relative)));
    else if (entry.isFile() && YAML_FILE.test(entry.name)) files.push(relative);
  }
  return files;
}
