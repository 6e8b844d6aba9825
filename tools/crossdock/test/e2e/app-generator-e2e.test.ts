import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLayout } from '@crossdock/oci-layout';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

// `nx g @crossdock/nx:app` for real: the generated service passes go vet and its tests,
// and `nx run <name>:image` builds it at once.

const gate = toolGate('app generator end to end', ['go', 'gofmt', 'git', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('nx g @crossdock/nx:app in a workspace copy', () => {
  let ws: WorkspaceCopy;
  let generated: { exitCode: number; output: string };

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace();
    generated = await ws.nx([
      'g',
      '@crossdock/nx:app',
      'orders',
      '--platforms=linux/amd64,aarch64',
      '--appVersion=2.3.4',
      '--no-interactive',
    ]);
  });
  afterAll(() => ws?.remove());

  it('lists the generator under the plugin', async () => {
    const list = await ws.nx(['list', '@crossdock/nx']);
    expect(list.exitCode, list.output).toBe(0);
    expect(list.output).toMatch(/GENERATORS[\s\S]*app : Scaffold a Go service/);
    expect(list.output).toMatch(/EXECUTORS[\s\S]*compile :/);
  });

  it('writes a Go service that is gofmt-clean and passes go vet and go test', async () => {
    expect(generated.exitCode, generated.output).toBe(0);
    expect(generated.output).toContain('CREATE apps/orders/main.go');
    // nx.json already registers the plugin and defines goSources: left as it is.
    expect(generated.output).not.toContain('UPDATE nx.json');
    expect((await execa('gofmt', ['-l', 'apps/orders'], { cwd: ws.root })).stdout).toBe('');
    await execa('go', ['vet', './apps/orders/'], { cwd: ws.root });
    const test = await execa('go', ['test', './apps/orders/'], {
      cwd: ws.root,
      reject: false,
      all: true,
    });
    expect(test.exitCode, test.all).toBe(0);
  });

  it('builds at once with nx run orders:image: both platforms, the version stamped', async () => {
    const run = await ws.nx(['run', 'orders:image', '--outputStyle=static']);
    expect(run.exitCode, run.output).toBe(0);
    const layout = join(ws.root, 'dist/images/orders');
    const report = await validateLayout(layout);
    expect(report.images.map((i) => `${i.platform?.os}/${i.platform?.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    const raw = JSON.parse((await execa('skopeo', ['inspect', '--raw', `oci:${layout}`])).stdout);
    expect(raw.manifests).toHaveLength(2);
    const binary = join(ws.root, 'dist/bin/orders/linux/amd64/orders');
    expect(existsSync(binary)).toBe(true);
    const info = JSON.parse((await execa(binary, ['--version'])).stdout);
    expect(info).toMatchObject({ name: 'orders', version: '2.3.4', os: 'linux', arch: 'amd64' });
    expect(
      JSON.parse(readFileSync(join(ws.root, 'apps/orders/project.json'), 'utf8')).targets.image
        .options.platforms,
    ).toEqual(['linux/amd64', 'linux/arm64']);
  });
});
