import { describe, expect, it } from 'vitest';
import { taskOutcomes } from './e2e/nx-output';

describe('taskOutcomes', () => {
  it('splits ran from cached tasks and counts a task once when Nx prints it twice', () => {
    // Nx 24 prints a batch's only task twice; colours appear under CI=true.
    const output = [
      '> nx run hello:compile--linux-amd64  [local cache]',
      '',
      '> nx run relay:image',
      '',
      '\u001b[1m> nx run relay:image\u001b[22m',
      '[relay] image assembled',
      '> nx run hello:image  [existing outputs match the cache, left as is]',
    ].join('\n');
    expect(taskOutcomes(output)).toEqual({
      ran: ['relay:image'],
      cached: ['hello:compile--linux-amd64', 'hello:image'],
    });
  });
});
