import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  stdout.on('data', (chunk) => (chunks.stdout += chunk));
  stderr.on('data', (chunk) => (chunks.stderr += chunk));
  const code = await main(args, { stdout, stderr, workspaceRoot: REPO_ROOT, env: {} });
  return { code, ...chunks };
}

describe('crossdock CLI', () => {
  it('lists its commands', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['lint', 'matrix', 'base-digest'])
      expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('rejects an unknown command with exit code 2 and the command list', async () => {
    const run = await cli(['bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crossdock: unknown command "bogus"/);
  });

  it("prints a command's usage for a bad flag, exit code 2", async () => {
    const run = await cli(['matrix', '--format', 'xml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^crossdock matrix: --format must be json or github, not "xml"/);
    expect(run.stderr).toContain('usage: crossdock matrix');
  });
});
