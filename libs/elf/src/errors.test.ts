import { describe, expect, it } from 'vitest';
import { ElfFormatError, formatOffset, truncatedError } from './errors';

describe('ElfFormatError', () => {
  it.each([
    [0, '0'],
    [4, '0x4'],
    [0x1f8, '0x1f8'],
  ])('formats offset %i as %s', (offset, text) => {
    expect(formatOffset(offset)).toBe(text);
  });

  it('words a truncation as the brief does', () => {
    const error = truncatedError('program header 3', 0x1f8, 56, 480);
    expect(error.message).toBe(
      'truncated ELF file: program header 3 at offset 0x1f8 needs 56 bytes, file has 480',
    );
    expect(error.offset).toBe(0x1f8);
  });

  it('names the file in a copy and keeps the original as its cause', () => {
    const original = new ElfFormatError('bad thing at offset 0x4', 4);
    const inFile = original.inFile('/dist/bin/app');
    expect(inFile).toBeInstanceOf(ElfFormatError);
    expect(inFile.message).toBe('/dist/bin/app: bad thing at offset 0x4');
    expect(inFile).toMatchObject({
      name: 'ElfFormatError',
      offset: 4,
      path: '/dist/bin/app',
      detail: 'bad thing at offset 0x4',
      cause: original,
    });
  });
});
