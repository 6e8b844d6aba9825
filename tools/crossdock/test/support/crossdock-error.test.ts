import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaseImageError } from '../../src/image/base/base-error';
import { OptionsError } from '../../src/options/options-error';
import { CommandError } from '../../src/support/process/runner';
import { CrossdockError } from '../../src/support/crossdock-error';

const SRC = join(__dirname, '../../src');

describe('CrossdockError, the base of the plugin errors', () => {
  it('is what every plugin error is, each keeping its own name and message', () => {
    const option = new OptionsError('hello', 'ports', 'has 0, not a port number 1-65535');
    expect(option).toBeInstanceOf(CrossdockError);
    expect(option.name).toBe('OptionsError');
    expect(option.message).toBe('hello: option "ports" has 0, not a port number 1-65535');
    const base = new BaseImageError('hello', 'oci:x', 'no index.json');
    expect(base).toBeInstanceOf(CrossdockError);
    expect(base.name).toBe('BaseImageError');
    expect(CommandError.prototype).toBeInstanceOf(CrossdockError);
  });

  it('is the only class of src/ that extends Error directly', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    const direct = files(SRC)
      .filter((file) => /class \w+ extends Error\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(direct).toEqual(['support/crossdock-error.ts']);
  });
});
