import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeSegments } from '../src';
import { tempDir } from '../../test-support/src/integration-gates';

describe('writeSegments', () => {
  it('writes the parts in order, more than one writev holds, and skips empty ones', async () => {
    const { dir, cleanup } = await tempDir('crossdock-writev-');
    onTestFinished(cleanup);
    // 2,500 parts of 1 to 7 bytes: three writev calls (at most 1,024 buffers each).
    const parts = Array.from({ length: 2500 }, (_, i) =>
      Uint8Array.from({ length: (i % 7) + (i % 5 === 0 ? 0 : 1) }, (_, j) => (i * 31 + j) & 0xff),
    );
    const handle = await open(join(dir, 'out'), 'wx');
    try {
      await writeSegments(handle, parts);
    } finally {
      await handle.close();
    }
    expect(new Uint8Array(await readFile(join(dir, 'out')))).toEqual(
      Uint8Array.from(parts.flatMap((part) => [...part])),
    );
  });
});
