import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { baseDigestCommand } from '../../src/cli/commands/base-digest';
import { createNodes as crossdockCreateNodes } from '../../src/nx/nodes/create-nodes';
import { BASE_DIGEST_COMMAND } from '../../src/nx/nodes/base-inputs';
import { BUILTIN_GZIP_INPUT } from '../../src/nx/nodes/targets';
import { writeWorkspace } from '../workspace-fixture';

// The base digest as an input of the image target: createNodes adds it for the base option
// and for every configuration's base; `crossdock base-digest` prints it.
const [, createNodes] = crossdockCreateNodes;

async function cli(
  args: string[],
  workspaceRoot = '/tmp',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  // The command itself (cli/main.ts loads it with require, which vitest cannot; the e2e test runs it through bin/crossdock.js).
  const [name, ...rest] = args;
  expect(name).toBe(baseDigestCommand.name);
  const code = await baseDigestCommand.run(rest, {
    stdout: out,
    stderr: err,
    workspaceRoot,
    env: {},
  });
  return {
    code,
    stdout: Buffer.concat(chunks.out).toString(),
    stderr: Buffer.concat(chunks.err).toString(),
  };
}

describe('image target inputs for bases', () => {
  it('hashes the base of the options and of every configuration', async () => {
    const workspaceRoot = writeWorkspace({
      'apps/relay/main.go': 'package main\nfunc main() {}\n',
      'apps/relay/project.json': JSON.stringify({
        name: 'relay',
        targets: {
          image: {
            options: { base: 'oci:bases/debian' },
            configurations: {
              busybox: { base: '127.0.0.1:5000/busybox:latest' },
              bare: { base: 'scratch' },
              other: {},
            },
          },
        },
      }),
    });
    const [[, result]] = await createNodes(
      ['apps/relay/project.json'],
      {},
      { workspaceRoot, nxJsonConfiguration: {} },
    );
    const targets = result.projects!['apps/relay'].targets!;
    const inputs = targets.image.inputs!;
    expect(inputs).toContainEqual('{workspaceRoot}/bases/debian/index.json');
    // The builtin engine's zlib build rides on the base-digest command: no Node of its own.
    expect(inputs).toContainEqual({
      runtime: `${BASE_DIGEST_COMMAND} --gzip 127.0.0.1:5000/busybox:latest`,
    });
    expect(inputs).not.toContainEqual({ runtime: BUILTIN_GZIP_INPUT });
    // The context does not depend on the zlib build.
    expect(targets.context.inputs).toContainEqual({
      runtime: `${BASE_DIGEST_COMMAND} 127.0.0.1:5000/busybox:latest`,
    });
    expect(
      inputs.filter(
        (i) =>
          JSON.stringify(i).includes('base-digest') || JSON.stringify(i).includes('index.json'),
      ),
    ).toHaveLength(2);
  });

  it('refuses a configuration with an unknown option, naming it', async () => {
    const workspaceRoot = writeWorkspace({
      'apps/relay/main.go': 'package main\nfunc main() {}\n',
      'apps/relay/project.json': JSON.stringify({
        name: 'relay',
        targets: { image: { configurations: { typo: { bsae: 'scratch' } } } },
      }),
    });
    const error = await Promise.resolve(
      createNodes(['apps/relay/project.json'], {}, { workspaceRoot, nxJsonConfiguration: {} }),
    ).then(
      () => undefined,
      (caught: { errors?: [string, Error][] }) => caught.errors?.[0]?.[1].message,
    );
    expect(error).toMatch(
      /^relay: option "bsae" in apps\/relay\/project.json \(targets.image.configurations.typo\) is not a crossdock option/,
    );
  });
});

const gate = toolGate('crossdock base-digest', ['docker-registry', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('crossdock base-digest', () => {
  it('prints the digest of a registry tag with one HEAD request', async () => {
    if (!gate.ok) throw new Error(gate.message);
    const { stdout: expected } = await execa('skopeo', [
      'inspect',
      '--format',
      '{{.Digest}}',
      '--tls-verify=false',
      'docker://127.0.0.1:5000/busybox:latest',
    ]);
    expect(await cli(['base-digest', '127.0.0.1:5000/busybox:latest'])).toEqual({
      code: 0,
      stdout: `${expected.trim()}\n`,
      stderr: '',
    });
  });

  it('with --gzip, prints the zlib build on a second line, as the gzip input does', async () => {
    if (!gate.ok) throw new Error(gate.message);
    const digest = (await cli(['base-digest', '127.0.0.1:5000/busybox:latest'])).stdout;
    const gzip = execFileSync('/bin/sh', ['-c', BUILTIN_GZIP_INPUT]).toString();
    expect(await cli(['base-digest', '--gzip', '127.0.0.1:5000/busybox:latest'])).toEqual({
      code: 0,
      stdout: `${digest}${gzip}`,
      stderr: '',
    });
    expect(gzip).toBe(`zlib ${process.versions.zlib} ${process.arch}\n`);
    await expect(cli(['base-digest', '127.0.0.1:5000/busybox:latest', '--gzip'])).rejects.toThrow(
      /exactly one base reference/,
    );
  });

  it('prints the digest of a layout index.json, relative to the workspace root', async () => {
    const digest = `sha256:${createHash('sha256').update(readFileSync('/var/cache/crossdock/busybox-oci/index.json')).digest('hex')}`;
    expect(await cli(['base-digest', 'oci:crossdock/busybox-oci'], '/var/cache')).toEqual({
      code: 0,
      stdout: `${digest}\n`,
      stderr: '',
    });
    expect(await cli(['base-digest', 'oci:/var/cache/crossdock/busybox-oci'])).toMatchObject({
      stdout: `${digest}\n`,
    });
  });

  it.each([
    ['127.0.0.1:1/busybox:latest', 'unresolved: NETWORK\n'],
    ['127.0.0.1:5000/crossdock-no-such-repository:latest', 'unresolved: no such manifest\n'],
    ['Not A Reference', 'unresolved: invalid reference\n'],
    ['oci:/nonexistent/layout', 'unresolved: no /nonexistent/layout/index.json\n'],
    ['scratch', 'scratch\n'],
  ])('never fails a hash for %s', async (base, stdout) => {
    expect(await cli(['base-digest', base])).toEqual({ code: 0, stdout, stderr: '' });
  });
});
