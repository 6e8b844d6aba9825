import { describe, expect, it } from 'vitest';
import { consoleCommands, docBlocks } from '../../../scripts/docs/doc-blocks';

describe('docBlocks', () => {
  it('finds sh and console blocks, with their lines, skips and list indentation', () => {
    const markdown = [
      '# Doc', // 1
      '```sh', // 2
      'npx nx run hello:image', // 3
      '```',
      '```text',
      'not run',
      '```',
      '<!-- docs-test: skip (run by .ci/run) -->',
      '```sh', // 9
      'npm test',
      '```',
      '- item',
      '  ```console', // 13
      '  $ echo hi',
      '  hi',
      '  ```',
    ].join('\n');
    expect(docBlocks('doc.md', markdown)).toEqual([
      { file: 'doc.md', line: 2, kind: 'sh', body: 'npx nx run hello:image' },
      { file: 'doc.md', line: 9, kind: 'sh', body: 'npm test', skip: 'run by .ci/run' },
      { file: 'doc.md', line: 13, kind: 'console', body: '$ echo hi\nhi' },
    ]);
  });

  it('refuses an unclosed fence', () => {
    expect(() => docBlocks('doc.md', '```sh\nls\n')).toThrow('doc.md:1: unclosed code fence');
  });
});

describe('consoleCommands', () => {
  it('pairs each command with the lines shown after it', () => {
    expect(consoleCommands('$ file x\nx: ELF\n\n$ true\n')).toEqual([
      { command: 'file x', expected: ['x: ELF'] },
      { command: 'true', expected: [] },
    ]);
  });
});
