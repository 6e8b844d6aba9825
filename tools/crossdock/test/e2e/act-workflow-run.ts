import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { TOOL_CACHE_BIN } from '../../../../libs/test-support/src/supply-chain-tools';

/** One run of tools/scripts/act-workflow.sh in a workspace copy, as the act e2e reads it. */
export interface ActRun {
  readonly event: ActEvent;
  readonly exitCode: number;
  readonly log: string;
  /** The index digest the run tagged: relay:latest for a push, relay:pr-1 for a pull request. */
  readonly digest: string;
  /** The digest files the cells uploaded (act's artifact server's folder), by slug. */
  readonly cells: Record<string, { platform: string; digest: string; blobs: { uploaded: number } }>;
  /** The run's Go build cache (GOCACHE of every job). */
  readonly goCache: string;
  /** Compiled packages (`!<arch>` archives) in the run's GOCACHE afterwards. */
  readonly goCacheArchives: number;
  readonly seconds: number;
}

/** The events act-workflow.sh can run the workflow for. */
export type ActEvent = 'push' | 'pull_request';

/** Where and how to run the workflow. */
export interface ActRunOptions {
  readonly ws: WorkspaceCopy;
  /** The registry's host:port (REGISTRY). */
  readonly registry: string;
  /** A folder of the test's own: the run's act folder and Go build cache go below it. */
  readonly scratch: string;
  /** Numbers the run's folders. */
  readonly n: number;
  readonly event?: ActEvent;
  /** The Go build cache to use (an earlier run's); a new empty one when absent. */
  readonly goCache?: string;
  /** The two secrets the workflow's cache step reads. */
  readonly tokens: { readonly write: string; readonly read: string };
}

/**
 * Runs `.github/workflows/images.yml` under act (tools/scripts/act-workflow.sh) in a
 * workspace copy, with the environment of a user's shell (not vitest's), and collects what the
 * run left: its log, the cells' digest files, the index it tagged, its Go build cache.
 */
export async function runActWorkflow(options: ActRunOptions): Promise<ActRun> {
  const { ws, registry, scratch, n, event = 'push' } = options;
  const work = join(scratch, `act-${n}`);
  const goCache = options.goCache ?? mkdtempSync(join(scratch, `gocache-${n}-`));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !/^(VITEST|NODE_ENV$|NX_|TEST$)/.test(key)) env[key] = value;
  Object.assign(env, {
    PATH: [TOOL_CACHE_BIN, '/usr/local/go/bin', process.env.PATH ?? ''].join(delimiter),
    REGISTRY: registry,
    CROSSDOCK_CACHE_TOKEN: options.tokens.write,
    CROSSDOCK_CACHE_READ_TOKEN: options.tokens.read,
    GOCACHE: goCache,
    ACT_WORK: work,
    // npm ci in every job from the machine's npm cache, without asking the registry first.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });
  const started = process.hrtime.bigint();
  const result = await execa(
    'bash',
    [join(ws.root, 'tools/scripts/act-workflow.sh'), '--event', event],
    { cwd: ws.root, env, extendEnv: false, reject: false, all: true },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const digest = (
    await execa(
      'skopeo',
      [
        'inspect',
        '--format',
        '{{.Digest}}',
        '--tls-verify=false',
        `docker://${registry}/relay:${event === 'pull_request' ? 'pr-1' : 'latest'}`,
      ],
      { reject: false },
    )
  ).stdout.trim();
  const cells: ActRun['cells'] = {};
  for (const file of filesUnder(join(work, 'artifacts')).filter((f) => f.endsWith('.json')))
    cells[
      file
        .split('/')
        .pop()!
        .replace(/\.json$/, '')
    ] = JSON.parse(readFileSync(file, 'utf8'));
  return {
    event,
    exitCode: result.exitCode ?? -1,
    log: String(result.all ?? ''),
    digest,
    cells,
    goCache,
    goCacheArchives: filesUnder(goCache).filter(isArchive).length,
    seconds,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Whether a Go build cache file is a compiled package: an `ar` archive (`!<arch>\n`). */
function isArchive(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    return readSync(fd, head, 0, 8, 0) === 8 && head.toString('latin1') === '!<arch>\n';
  } finally {
    closeSync(fd);
  }
}
