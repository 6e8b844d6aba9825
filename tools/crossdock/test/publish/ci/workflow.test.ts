import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../scripts/testing/workspace-copy';

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  name?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'runs-on': string;
  outputs?: Record<string, string>;
  strategy?: { matrix: unknown };
  steps: Step[];
}

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/images.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};
const { plan, build, merge } = workflow.jobs;

describe('.github/workflows/images.yml', () => {
  it('has a plan, a build matrix over its cells and a merge per project', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['plan', 'build', 'merge']);
    expect(build.needs).toBe('plan');
    expect(merge.needs).toEqual(['plan', 'build']);
    expect(build.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(merge.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.projects) }}');
    expect(build['runs-on']).toBe('${{ matrix.runner }}');
    for (const job of [build, merge]) expect(job.if).toBe("needs.plan.outputs.has-cells == 'true'");
  });

  it('plans with crossdock matrix over the affected projects and exposes its outputs', () => {
    const step = plan.steps.find((s) => s.id === 'matrix')!;
    expect(step.run).toMatch(
      /^npx crossdock matrix --affected --base="\$NX_BASE" --head="\$NX_HEAD" --format github/,
    );
    expect(step.run).toContain('>> "$GITHUB_OUTPUT"');
    for (const output of ['matrix', 'projects', 'has-cells'])
      expect(plan.outputs?.[output]).toBe(`\${{ steps.matrix.outputs.${output} }}`);
    expect(
      plan.steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth'],
    ).toBe(0);
  });

  it('builds one cell with the per-platform push target and uploads its digest file under a per-cell name', () => {
    const push = build.steps.find((s) => s.run?.includes(':push--'))!;
    expect(push.run).toBe(
      'npx nx run ${{ matrix.project }}:push--${{ matrix.slug }} --registry="$REGISTRY"',
    );
    const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({
      name: 'digests-${{ matrix.project }}-${{ matrix.slug }}',
      path: 'dist/digests/${{ matrix.project }}/${{ matrix.slug }}.json',
    });
    const caches = build.steps.filter((s) => s.uses?.startsWith('actions/cache'));
    expect(caches.map((s) => s.with?.key)).toEqual([
      expect.stringContaining('${{ matrix.slug }}'),
      expect.stringContaining('${{ matrix.project }}-${{ matrix.slug }}'),
    ]);
    expect(caches.map((s) => s.with?.path)).toEqual(['~/.cache/go-build', '.nx/cache']);
    expect(
      build.steps.some(
        (s) =>
          s.uses?.startsWith('docker/login-action') &&
          String(s.with?.password).includes('secrets.'),
      ),
    ).toBe(true);
  });

  it("merges the digests of exactly its project's cells", () => {
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with).toMatchObject({
      pattern: 'digests-${{ matrix.project }}-*',
      path: 'dist/digests/${{ matrix.project }}',
      'merge-multiple': true,
    });
    const mergeStep = merge.steps.find((s) => s.run?.includes('crossdock merge'))!;
    expect(mergeStep.run).toBe(
      'npx crossdock merge ${{ matrix.project }} --digests=dist/digests/${{ matrix.project }} --registry="$REGISTRY" ${PR_TAG:+--tag "$PR_TAG"}',
    );
  });

  it("tags a pull request's index pr-<number> only, never the project's tags", () => {
    const mergeStep = merge.steps.find((s) => s.run?.includes('crossdock merge'))!;
    expect(mergeStep.env).toMatchObject({
      PR_TAG:
        "${{ github.event_name == 'pull_request' && format('pr-{0}', github.event.number) || '' }}",
    });
  });

  it('gives the cell push and the merge the cosign key password from a secret, for projects with signKey', () => {
    const push = build.steps.find((s) => s.run?.includes(':push--'))!;
    const mergeStep = merge.steps.find((s) => s.run?.includes('crossdock merge'))!;
    for (const step of [push, mergeStep])
      expect(step.env).toMatchObject({ COSIGN_PASSWORD: '${{ secrets.COSIGN_PASSWORD }}' });
  });

  it('starts the Nx remote cache beside the build job, before its Nx step; pull requests get only the read-only token', () => {
    const server = build.steps.findIndex((s) => s.uses === './.github/actions/nx-cache');
    const push = build.steps.findIndex((s) => s.run?.includes(':push--'));
    const login = build.steps.findIndex((s) => s.uses?.startsWith('docker/login-action'));
    expect(server).toBeGreaterThan(login);
    expect(push).toBeGreaterThan(server);
    expect(build.steps[server]!.with?.store).toBe('${{ vars.REGISTRY }}/nx-cache');
    expect(build.steps[server]!.env).toEqual({
      CROSSDOCK_CACHE_TOKEN:
        "${{ github.event_name != 'pull_request' && secrets.CROSSDOCK_CACHE_TOKEN || '' }}",
      CROSSDOCK_CACHE_READ_TOKEN: '${{ secrets.CROSSDOCK_CACHE_READ_TOKEN }}',
    });
    expect(build.steps[push]!.env?.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN).toBe(
      "${{ github.event_name == 'pull_request' && secrets.CROSSDOCK_CACHE_READ_TOKEN || github.event_name != 'pull_request' && secrets.CROSSDOCK_CACHE_TOKEN || '' }}",
    );
    // No other step of any job sees a cache token.
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps)
        if (step !== build.steps[server] && step !== build.steps[push])
          expect(JSON.stringify(step)).not.toMatch(/CACHE_(READ_)?TOKEN/);
  });

  it('keeps logic out of YAML: every run step is npm ci, npx nx or npx crossdock', () => {
    const runs = Object.values(workflow.jobs).flatMap((job) =>
      job.steps.map((s) => s.run).filter((run): run is string => run !== undefined),
    );
    for (const run of runs) expect(run).toMatch(/^(npm ci|npx nx |npx crossdock )/);
  });
});
